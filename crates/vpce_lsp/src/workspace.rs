//! The disk as the server sees it: a directory's configuration files and a loader for
//! `file()` and modules. `vpce_cli` reads the real disk; tests use [`MemoryWorkspace`].

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

use vpce_driver::SourceInput;
use vpce_model::FileLoader;

pub trait Workspace: Send + Sync {
    /// The `*.hcl` files of `dir`, named relative to it and sorted by name: what
    /// `vpce check DIR` reads. A directory without any gives an empty list.
    fn config_files(&self, dir: &Path) -> Result<Vec<SourceInput>, String>;

    /// A loader confined to `dir`, for `file()` and module directories.
    fn loader(&self, dir: &Path) -> Box<dyn FileLoader + Sync + '_>;
}

/// Files held in memory, by absolute path: for tests.
#[derive(Clone, Debug, Default)]
pub struct MemoryWorkspace {
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl MemoryWorkspace {
    pub fn new() -> MemoryWorkspace {
        MemoryWorkspace::default()
    }

    pub fn with_file(mut self, path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        self.files.insert(path.into(), bytes.into());
        self
    }
}

impl Workspace for MemoryWorkspace {
    fn config_files(&self, dir: &Path) -> Result<Vec<SourceInput>, String> {
        Ok(self
            .files
            .iter()
            .filter(|(path, _)| path.parent() == Some(dir))
            .filter_map(|(path, bytes)| {
                let name = path.file_name()?.to_str()?;
                name.ends_with(".hcl").then(|| SourceInput {
                    name: name.to_string(),
                    bytes: bytes.clone(),
                })
            })
            .collect())
    }

    fn loader(&self, dir: &Path) -> Box<dyn FileLoader + Sync + '_> {
        Box::new(MemoryLoader {
            workspace: self,
            root: dir.to_path_buf(),
        })
    }
}

struct MemoryLoader<'a> {
    workspace: &'a MemoryWorkspace,
    root: PathBuf,
}

impl FileLoader for MemoryLoader<'_> {
    fn load(&self, path: &str) -> Result<String, String> {
        String::from_utf8(self.load_bytes(path)?).map_err(|_| "it is not valid UTF-8".into())
    }

    fn load_bytes(&self, path: &str) -> Result<Vec<u8>, String> {
        self.workspace
            .files
            .get(&self.root.join(path))
            .cloned()
            .ok_or_else(|| "no such file".into())
    }

    fn hcl_files(&self, dir: &str) -> Result<Vec<String>, String> {
        let names: Vec<String> = self
            .workspace
            .config_files(&self.root.join(dir))?
            .into_iter()
            .map(|file| format!("{dir}/{}", file.name))
            .collect();
        if names.is_empty() {
            return Err("no such directory".into());
        }
        Ok(names)
    }
}
