//! Documents an editor holds open, unsaved, laid over the files a loader reads: the
//! language server checks a directory as `vpce check DIR` would once they were saved.

use std::collections::BTreeMap;

use vpce_model::FileLoader;

use crate::SourceInput;

/// Open documents by their path relative to the configuration directory
/// (`main.hcl`, `modules/net/main.hcl`), with their current text.
#[derive(Clone, Debug, Default)]
pub struct Overlay {
    documents: BTreeMap<String, Vec<u8>>,
}

impl Overlay {
    pub fn new() -> Overlay {
        Overlay::default()
    }

    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.documents.insert(path.into(), bytes.into());
    }

    /// The configuration files of the directory as the editor sees them: each open
    /// document replaces the file of its name, and an open `*.hcl` document directly in
    /// the directory that is not on disk yet joins them; the result stays sorted by name.
    pub fn apply(&self, files: &mut Vec<SourceInput>) {
        for (path, bytes) in &self.documents {
            if path.contains('/') || !path.ends_with(".hcl") {
                continue;
            }
            match files.iter_mut().find(|f| f.name == *path) {
                Some(file) => file.bytes.clone_from(bytes),
                None => files.push(SourceInput {
                    name: path.clone(),
                    bytes: bytes.clone(),
                }),
            }
        }
        files.sort_by(|a, b| a.name.cmp(&b.name));
    }

    /// A loader that reads open documents from the overlay and everything else from
    /// `disk` (module files and `file()` reads).
    pub fn loader<'a>(&'a self, disk: &'a (dyn FileLoader + Sync)) -> OverlayLoader<'a> {
        OverlayLoader {
            overlay: self,
            disk,
        }
    }
}

pub struct OverlayLoader<'a> {
    overlay: &'a Overlay,
    disk: &'a (dyn FileLoader + Sync),
}

impl FileLoader for OverlayLoader<'_> {
    fn load(&self, path: &str) -> Result<String, String> {
        match self.overlay.documents.get(path) {
            Some(bytes) => {
                String::from_utf8(bytes.clone()).map_err(|_| "it is not valid UTF-8".to_string())
            }
            None => self.disk.load(path),
        }
    }

    fn load_bytes(&self, path: &str) -> Result<Vec<u8>, String> {
        match self.overlay.documents.get(path) {
            Some(bytes) => Ok(bytes.clone()),
            None => self.disk.load_bytes(path),
        }
    }

    fn hcl_files(&self, dir: &str) -> Result<Vec<String>, String> {
        let prefix = format!("{dir}/");
        let open: Vec<&String> = self
            .overlay
            .documents
            .keys()
            .filter(|path| {
                path.strip_prefix(&prefix)
                    .is_some_and(|name| !name.contains('/') && name.ends_with(".hcl"))
            })
            .collect();
        let mut paths = match self.disk.hcl_files(dir) {
            Ok(paths) => paths,
            // A module directory that exists only in the editor so far.
            Err(_) if !open.is_empty() => Vec::new(),
            Err(reason) => return Err(reason),
        };
        paths.extend(open.into_iter().cloned());
        paths.sort();
        paths.dedup();
        Ok(paths)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Disk;

    impl FileLoader for Disk {
        fn load(&self, path: &str) -> Result<String, String> {
            match path {
                "modules/net/a.hcl" => Ok("saved".into()),
                _ => Err("no such file".into()),
            }
        }

        fn hcl_files(&self, dir: &str) -> Result<Vec<String>, String> {
            match dir {
                "modules/net" => Ok(vec!["modules/net/a.hcl".into()]),
                _ => Err("no such directory".into()),
            }
        }
    }

    fn source(name: &str, text: &str) -> SourceInput {
        SourceInput {
            name: name.into(),
            bytes: text.into(),
        }
    }

    #[test]
    fn open_documents_replace_and_join_the_directory_files() {
        let mut overlay = Overlay::new();
        overlay.insert("b.hcl", "edited");
        overlay.insert("a.hcl", "new");
        overlay.insert("notes.txt", "not configuration");
        overlay.insert("modules/net/a.hcl", "a module's file");
        let mut files = vec![source("b.hcl", "saved"), source("c.hcl", "saved")];
        overlay.apply(&mut files);
        let seen: Vec<(&str, &[u8])> = files
            .iter()
            .map(|f| (f.name.as_str(), f.bytes.as_slice()))
            .collect();
        assert_eq!(
            seen,
            [
                ("a.hcl", &b"new"[..]),
                ("b.hcl", b"edited"),
                ("c.hcl", b"saved")
            ]
        );
    }

    #[test]
    fn module_files_come_from_the_editor_first() {
        let mut overlay = Overlay::new();
        overlay.insert("modules/net/a.hcl", "unsaved");
        overlay.insert("modules/net/b.hcl", "new");
        overlay.insert("modules/new/main.hcl", "only in the editor");
        let loader = overlay.loader(&Disk);
        assert_eq!(loader.load("modules/net/a.hcl").unwrap(), "unsaved");
        assert_eq!(
            loader.hcl_files("modules/net").unwrap(),
            ["modules/net/a.hcl", "modules/net/b.hcl"]
        );
        assert_eq!(
            loader.hcl_files("modules/new").unwrap(),
            ["modules/new/main.hcl"]
        );
        assert!(loader.hcl_files("modules/none").is_err());
    }
}
