//! Writing output files so that nothing the user had is lost: every file is written to
//! a temporary name beside its target, flushed to disk, then renamed over it. A failure
//! before the renames leaves the directory as it was.

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
};

#[derive(Debug, thiserror::Error)]
#[error("cannot write `{path}`: {reason}")]
pub struct WriteError {
    pub path: String,
    pub reason: String,
}

fn error(path: &Path, e: impl std::fmt::Display) -> WriteError {
    WriteError {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

/// Writes `files` into `dir` (created if missing) all-or-nothing up to the renames.
pub fn write_files(dir: &Path, files: &[(String, String)]) -> Result<(), WriteError> {
    fs::create_dir_all(dir).map_err(|e| error(dir, e))?;
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let result = (|| {
        for (name, contents) in files {
            let target = dir.join(name);
            let temporary = dir.join(format!(".{name}.vpce-tmp-{}", std::process::id()));
            let mut file = fs::File::create(&temporary).map_err(|e| error(&temporary, e))?;
            staged.push((temporary.clone(), target));
            file.write_all(contents.as_bytes())
                .map_err(|e| error(&temporary, e))?;
            file.sync_all().map_err(|e| error(&temporary, e))?;
        }
        Ok(())
    })();
    if let Err(e) = result {
        for (temporary, _) in &staged {
            let _ = fs::remove_file(temporary);
        }
        return Err(e);
    }
    for (temporary, target) in &staged {
        fs::rename(temporary, target).map_err(|e| error(target, e))?;
    }
    // Make the renames durable.
    if let Ok(directory) = fs::File::open(dir) {
        let _ = directory.sync_all();
    }
    Ok(())
}
