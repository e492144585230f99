//! Reading a configuration from disk: one file, or a directory's `*.hcl` files in
//! sorted order, and `file()` access confined to the configuration directory.

use std::{
    fs,
    io::Read,
    path::{Path, PathBuf},
};

use vpce_driver::{Input, SourceInput, VarFlag};
use vpce_model::FileLoader;

/// What the command could not do (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("`{path}` does not exist")]
    Missing { path: String },
    #[error("cannot read `{path}`: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("`{path}` has no `.hcl` files")]
    Empty { path: String },
    #[error("`{path}` is {size} bytes; vpce reads files up to {limit} MiB")]
    TooLarge {
        path: String,
        size: u64,
        limit: usize,
    },
    #[error("`--var {flag}` must be `NAME=VALUE`")]
    BadVar { flag: String },
    #[error("`--var-file {path}` is also a configuration file (vpce reads every `*.hcl` file of `{dir}`): rename it, e.g. to `{suggested}`")]
    VarFileIsConfig {
        path: String,
        dir: String,
        suggested: String,
    },
}

/// A configuration on disk.
pub struct Config {
    /// The directory `file()` paths are relative to and confined to.
    pub root: PathBuf,
    /// How paths are shown to people: the argument as given, or empty for `.`.
    pub display_prefix: String,
    pub input: Input,
}

pub fn read_limited(path: &Path) -> Result<Vec<u8>, ConfigError> {
    let shown = path.display().to_string();
    let unreadable = |e: std::io::Error| ConfigError::Unreadable {
        path: shown.clone(),
        reason: e.to_string(),
    };
    // A FIFO or device would block or never end: only regular files are read. (Checked
    // before opening: opening a FIFO already blocks until a writer comes.)
    let metadata = fs::metadata(path).map_err(unreadable)?;
    if !metadata.is_file() {
        return Err(ConfigError::Unreadable {
            path: shown,
            reason: "not a regular file".into(),
        });
    }
    let file = fs::File::open(path).map_err(unreadable)?;
    let limit = vpce_syntax_limit();
    // Sized to the file: grown by doubling, a 2.9 MB file held 4 MB for the whole run.
    let expected = usize::try_from(metadata.len())
        .unwrap_or(limit)
        .min(limit + 1);
    let mut bytes = Vec::with_capacity(expected);
    // Read one byte past the limit to tell "too large" without reading a huge file whole.
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() > limit {
        let size = fs::metadata(path)
            .map(|m| m.len())
            .unwrap_or(bytes.len() as u64);
        return Err(ConfigError::TooLarge {
            path: shown,
            size,
            limit: limit / (1024 * 1024),
        });
    }
    Ok(bytes)
}

fn vpce_syntax_limit() -> usize {
    vpce_driver::MAX_FILE_BYTES
}

/// The name a configuration read from standard input (`-`) is shown under.
pub const STDIN_NAME: &str = "<stdin>";

/// Standard input, as one configuration file, within the same size limit as files.
pub fn read_stdin() -> Result<Vec<u8>, ConfigError> {
    let limit = vpce_syntax_limit();
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ConfigError::Unreadable {
            path: "standard input".into(),
            reason: e.to_string(),
        })?;
    if bytes.len() > limit {
        return Err(ConfigError::TooLarge {
            path: "standard input".into(),
            size: bytes.len() as u64,
            limit: limit / (1024 * 1024),
        });
    }
    Ok(bytes)
}

/// Reads the configuration at `path` (`-`: one file from standard input, whose
/// `file()` paths are relative to the current directory), the `--var-file`s and the
/// `--var`s.
pub fn load(path: &Path, var_files: &[PathBuf], vars: &[String]) -> Result<Config, ConfigError> {
    if path == Path::new("-") {
        let mut input = Input::default();
        input.files.push(SourceInput {
            name: STDIN_NAME.into(),
            bytes: read_stdin()?,
        });
        return finish(PathBuf::from("."), String::new(), input, var_files, vars);
    }
    let shown = path.display().to_string();
    let metadata = fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ConfigError::Missing {
            path: shown.clone(),
        },
        _ => ConfigError::Unreadable {
            path: shown.clone(),
            reason: e.to_string(),
        },
    })?;
    let (root, names): (PathBuf, Vec<String>) = if metadata.is_dir() {
        let entries = fs::read_dir(path).map_err(|e| ConfigError::Unreadable {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
        // Every `*.hcl` entry is part of the configuration: one that cannot be read
        // (a dangling symlink, a directory, a name that is not UTF-8) is an error, never
        // silently left out.
        let mut names: Vec<String> = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| ConfigError::Unreadable {
                path: shown.clone(),
                reason: e.to_string(),
            })?;
            let raw = entry.file_name();
            let lossy = raw.to_string_lossy();
            if !lossy.ends_with(".hcl") {
                continue;
            }
            let entry_path = entry.path();
            let unreadable = |reason: &str| ConfigError::Unreadable {
                path: entry_path.display().to_string(),
                reason: reason.to_string(),
            };
            let Some(name) = raw.to_str() else {
                return Err(unreadable(
                    "its name is not UTF-8; rename it, as vpce reads every `*.hcl` file of the directory",
                ));
            };
            match fs::metadata(&entry_path) {
                Ok(m) if m.is_file() => names.push(name.to_string()),
                Ok(_) => return Err(unreadable("not a regular file")),
                Err(e) if entry_path.is_symlink() => {
                    return Err(unreadable(&format!(
                        "a symbolic link to nothing readable ({e})"
                    )))
                }
                Err(e) => return Err(unreadable(&e.to_string())),
            }
        }
        names.sort();
        if names.is_empty() {
            return Err(ConfigError::Empty { path: shown });
        }
        (path.to_path_buf(), names)
    } else {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| shown.clone());
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        (root, vec![name])
    };
    let root = if root.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        root
    };
    let mut input = Input::default();
    for name in names {
        let bytes = read_limited(&root.join(&name))?;
        input.files.push(SourceInput { name, bytes });
    }
    let display_prefix = if metadata.is_dir() {
        if path == Path::new(".") {
            String::new()
        } else {
            format!("{}/", shown.trim_end_matches('/'))
        }
    } else {
        match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => format!("{}/", parent.display()),
            _ => String::new(),
        }
    };
    finish(root, display_prefix, input, var_files, vars)
}

/// Adds the variables to a configuration's files.
fn finish(
    root: PathBuf,
    display_prefix: String,
    mut input: Input,
    var_files: &[PathBuf],
    vars: &[String],
) -> Result<Config, ConfigError> {
    for var_file in var_files {
        reject_var_file_in_config(var_file, &root, &input.files)?;
        let bytes = read_limited(var_file)?;
        input.var_files.push(SourceInput {
            name: var_file.display().to_string(),
            bytes,
        });
    }
    for flag in vars {
        let (name, value) = flag
            .split_once('=')
            .filter(|(name, _)| !name.trim().is_empty())
            .ok_or_else(|| ConfigError::BadVar { flag: flag.clone() })?;
        input.vars.push(VarFlag {
            name: name.trim().to_string(),
            value: value.to_string(),
        });
    }
    Ok(Config {
        root,
        display_prefix,
        input,
    })
}

/// A `--var-file` that is one of the configuration's own `*.hcl` files would be read
/// twice, once as configuration, where its `name = value` lines are errors.
fn reject_var_file_in_config(
    var_file: &Path,
    root: &Path,
    files: &[SourceInput],
) -> Result<(), ConfigError> {
    let (Ok(var_file_path), Some(name)) = (
        var_file.canonicalize(),
        var_file.file_name().and_then(|n| n.to_str()),
    ) else {
        return Ok(());
    };
    let is_config = files.iter().any(|f| {
        f.name == name && root.join(&f.name).canonicalize().ok().as_ref() == Some(&var_file_path)
    });
    if !is_config {
        return Ok(());
    }
    Err(ConfigError::VarFileIsConfig {
        path: var_file.display().to_string(),
        dir: root.display().to_string(),
        suggested: format!(
            "{}.vars",
            name.trim_end_matches(".hcl").trim_end_matches(".vars")
        ),
    })
}

/// `file()` and modules read inside the configuration directory only, symlinks
/// included, with the same rules as the configuration's own files (regular files, at
/// most `MAX_FILE_BYTES`).
pub struct FsLoader {
    pub root: PathBuf,
}

impl FsLoader {
    /// `path` under the root, resolved through symlinks, refused when it leaves it.
    fn confined(&self, path: &str, missing: &str) -> Result<PathBuf, String> {
        let root = self.root.canonicalize().map_err(|e| e.to_string())?;
        let resolved = self
            .root
            .join(path)
            .canonicalize()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => missing.to_string(),
                _ => e.to_string(),
            })?;
        if !resolved.starts_with(&root) {
            return Err("it links outside the configuration directory".into());
        }
        Ok(resolved)
    }
}

impl FileLoader for FsLoader {
    fn load(&self, path: &str) -> Result<String, String> {
        let bytes = self.load_bytes(path)?;
        String::from_utf8(bytes).map_err(|_| "it is not valid UTF-8".to_string())
    }

    fn load_bytes(&self, path: &str) -> Result<Vec<u8>, String> {
        let resolved = self.confined(path, "no such file")?;
        read_limited(&resolved).map_err(|e| match e {
            ConfigError::TooLarge { size, limit, .. } => {
                format!("it is {size} bytes, more than {limit} MiB")
            }
            ConfigError::Unreadable { reason, .. } => reason,
            other => other.to_string(),
        })
    }

    fn hcl_files(&self, dir: &str) -> Result<Vec<String>, String> {
        let resolved = self.confined(dir, "no such directory")?;
        if !resolved.is_dir() {
            return Err("not a directory".into());
        }
        let entries = fs::read_dir(&resolved).map_err(|e| e.to_string())?;
        let mut names = Vec::new();
        for entry in entries {
            let name = entry.map_err(|e| e.to_string())?.file_name();
            let lossy = name.to_string_lossy();
            if !lossy.ends_with(".hcl") {
                continue;
            }
            // As for the configuration's directory: no `*.hcl` file is left out silently.
            let Some(name) = name.to_str() else {
                return Err(format!(
                    "the name of `{lossy}` is not UTF-8; rename it, as vpce reads every `*.hcl` file of a module"
                ));
            };
            names.push(format!("{dir}/{name}"));
        }
        names.sort();
        Ok(names)
    }
}
