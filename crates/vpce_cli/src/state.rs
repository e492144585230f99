//! The state file `vpce apply` records and `vpce plan --state` reads: a versioned JSON
//! document (schema: `schemas/state.schema.json`, generated from these types).
//!
//! It is never lost: it is written to a temporary file beside it, flushed to disk, then
//! renamed over it (and the directory flushed), so a crash at any point leaves either
//! the old file or the new one. A second `apply` is kept out by an exclusive lock file,
//! `FILE.lock`, holding the writer's process id. A file that does not parse, or that a
//! newer vpce wrote, is refused with a clear error and left untouched.

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
    time::Duration,
};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use vpce_emit_plan::Snapshot;

/// The state format this vpce reads and writes.
pub const STATE_VERSION: u64 = 1;

/// The state file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "vpce state")]
pub struct State {
    /// The format's version; a vpce refuses a version newer than it knows.
    pub version: u64,
    /// Increases by one with every `apply` that changes something.
    pub serial: u64,
    /// The vpce that wrote the file.
    pub vpce_version: String,
    /// The simulated deployment.
    #[serde(flatten)]
    pub snapshot: Snapshot,
}

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("cannot read the state `{path}`: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("the state `{path}` is not a vpce state file ({reason}); it was left untouched: restore it from a backup, or remove it to start from nothing")]
    Corrupt { path: String, reason: String },
    #[error("the state `{path}` has version {found}, newer than this vpce reads (version {STATE_VERSION}); it was left untouched: upgrade vpce")]
    Newer { path: String, found: u64 },
    #[error("another `vpce apply` holds the lock `{lock}` (pid {pid}); remove it if no apply is running")]
    Locked { lock: String, pid: String },
    #[error("cannot write `{path}`: {reason}")]
    Unwritable { path: String, reason: String },
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// Reads the state; `Ok(None)` when the file does not exist yet.
pub fn read(path: &Path) -> Result<Option<State>, StateError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(StateError::Unreadable {
                path: shown(path),
                reason: e.to_string(),
            })
        }
    };
    let corrupt = |reason: String| StateError::Corrupt {
        path: shown(path),
        reason,
    };
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| corrupt(format!("invalid JSON: {e}")))?;
    let version = value
        .get("version")
        .ok_or_else(|| corrupt("no `version`".into()))?;
    let version = version
        .as_u64()
        .ok_or_else(|| corrupt(format!("`version` is {version}, not a whole number")))?;
    if version > STATE_VERSION {
        return Err(StateError::Newer {
            path: shown(path),
            found: version,
        });
    }
    if version < STATE_VERSION {
        return Err(corrupt(format!("unknown version {version}")));
    }
    serde_json::from_value(value)
        .map(Some)
        .map_err(|e| corrupt(e.to_string()))
}

/// The temporary files of `path`'s writers: `.NAME.vpce-tmp-PID` beside it.
fn temporary_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map_or_else(|| "state".into(), |n| n.to_string_lossy().into_owned());
    format!(".{name}.vpce-tmp-")
}

fn directory(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Writes the state atomically: temporary file, fsync, rename, fsync of the directory.
/// `pause` (tests only) sleeps between the fsync and the rename.
pub fn write(path: &Path, state: &State, pause: Option<Duration>) -> Result<(), StateError> {
    let unwritable = |p: &Path, e: std::io::Error| StateError::Unwritable {
        path: shown(p),
        reason: e.to_string(),
    };
    let dir = directory(path);
    let temporary = dir.join(format!("{}{}", temporary_prefix(path), std::process::id()));
    let mut text = serde_json::to_string_pretty(state).expect("the state serialises");
    text.push('\n');
    let written = (|| {
        let mut file = fs::File::create(&temporary)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&temporary);
        return Err(unwritable(&temporary, e));
    }
    if let Some(pause) = pause {
        std::thread::sleep(pause);
    }
    if let Err(e) = fs::rename(&temporary, path) {
        let _ = fs::remove_file(&temporary);
        return Err(unwritable(path, e));
    }
    // Make the rename durable.
    if let Ok(directory) = fs::File::open(&dir) {
        let _ = directory.sync_all();
    }
    Ok(())
}

/// The exclusive lock of one state file, released (the lock file removed) on drop. A
/// process that is killed leaves the lock behind; the next `apply` then names it.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

impl Lock {
    /// `FILE.lock`.
    pub fn path_for(state: &Path) -> PathBuf {
        let mut name = state.as_os_str().to_os_string();
        name.push(".lock");
        PathBuf::from(name)
    }

    pub fn acquire(state: &Path) -> Result<Lock, StateError> {
        let path = Lock::path_for(state);
        let dir = directory(state);
        fs::create_dir_all(&dir).map_err(|e| StateError::Unwritable {
            path: shown(&dir),
            reason: e.to_string(),
        })?;
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                let lock = Lock { path };
                let _ = writeln!(file, "{}", std::process::id()).and_then(|()| file.sync_all());
                // Temporary files are only ever left by a writer that died: remove them.
                let prefix = temporary_prefix(state);
                if let Ok(entries) = fs::read_dir(&dir) {
                    for entry in entries.flatten() {
                        if entry.file_name().to_string_lossy().starts_with(&prefix) {
                            let _ = fs::remove_file(entry.path());
                        }
                    }
                }
                Ok(lock)
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let pid = fs::read_to_string(&path)
                    .ok()
                    .map(|text| text.trim().to_string())
                    .filter(|pid| !pid.is_empty())
                    .unwrap_or_else(|| "unknown".into());
                Err(StateError::Locked {
                    lock: shown(&path),
                    pid,
                })
            }
            Err(e) => Err(StateError::Unwritable {
                path: shown(&path),
                reason: e.to_string(),
            }),
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// The JSON Schema of [`State`], as committed in `schemas/`.
#[cfg(test)]
pub fn state_schema() -> String {
    vpce_diagnostics::schema::schema_json::<State>()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `schemas/state.schema.json` is generated from [`State`]; regenerate it with
    /// `UPDATE_SCHEMAS=1 cargo test -p vpce_cli`.
    #[test]
    fn committed_schema_is_fresh() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../schemas/state.schema.json"
        );
        vpce_diagnostics::schema::assert_committed(
            path,
            &state_schema(),
            "UPDATE_SCHEMAS=1 cargo test -p vpce_cli",
        );
    }

    fn empty(serial: u64) -> State {
        State {
            version: STATE_VERSION,
            serial,
            vpce_version: "test".into(),
            snapshot: Snapshot {
                account: "000000000000".into(),
                resources: Vec::new(),
                reachability: Vec::new(),
            },
        }
    }

    #[test]
    fn states_round_trip_and_bad_ones_are_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        assert!(read(&path).unwrap().is_none());
        write(&path, &empty(3), None).unwrap();
        assert_eq!(read(&path).unwrap(), Some(empty(3)));

        for (text, expected) in [
            ("{not json", "invalid JSON"),
            ("{}", "no `version`"),
            ("{\"version\": \"1\"}", "not a whole number"),
            ("{\"version\": 0}", "unknown version 0"),
            ("{\"version\": 1, \"serial\": 1}", "missing field"),
        ] {
            std::fs::write(&path, text).unwrap();
            let error = read(&path).unwrap_err().to_string();
            assert!(error.contains(expected), "{text}: {error}");
            assert!(error.contains("left untouched"), "{error}");
            assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        }
        std::fs::write(&path, "{\"version\": 2}").unwrap();
        let error = read(&path).unwrap_err().to_string();
        assert!(error.contains("version 2, newer"), "{error}");
    }

    #[test]
    fn the_lock_is_exclusive_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let lock = Lock::acquire(&path).unwrap();
        let error = Lock::acquire(&path).unwrap_err().to_string();
        assert!(
            error.contains(&format!("(pid {})", std::process::id())),
            "{error}"
        );
        drop(lock);
        assert!(!Lock::path_for(&path).exists());
        let _again = Lock::acquire(&path).unwrap();
    }
}
