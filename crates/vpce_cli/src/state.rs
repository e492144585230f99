//! The state file `vpce apply` records and `vpce plan --state` reads: a versioned JSON
//! document (schema: `schemas/state.schema.json`, generated from these types).
//!
//! It is never lost: it is written to a temporary file beside it, flushed to disk, then
//! renamed over it (and the directory flushed), so a crash at any point leaves either
//! the old file or the new one. A state that is a symlink is written through: its target
//! is replaced and the link stays (a dangling link is refused, not read as "nothing
//! deployed"). Only regular files of at most 256 MiB are read. A second `apply` is kept
//! out by an exclusive lock file, `FILE.lock` beside the state's real file, created whole
//! (written under a temporary name, then hard-linked into place) and naming the writer's
//! process id, host and start time; `vpce unlock` removes it once that process is gone.
//! A file that does not parse, or that a newer vpce wrote, is refused with a clear error
//! and left untouched.

use std::{
    fs,
    io::Read,
    path::{Path, PathBuf},
    time::{Duration, SystemTime},
};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use vpce_emit_plan::Snapshot;

use crate::atomic::{self, directory, temporary_prefix};

mod compact;

pub use compact::CompactState;

/// The state format this vpce writes. Version 2 is version 1 without what is never read
/// back: one line of JSON instead of indented JSON, and only the reachability rows that
/// carry traffic (the ones V952 compares with). Version 3 ([`compact`]) is version 2
/// without what can be rebuilt from what it keeps, each field left out only when
/// rebuilding it gives back the same value. Versions 1 and 2 are still read, exactly.
pub const STATE_VERSION: u64 = 3;

/// The oldest state format this vpce reads.
pub const OLDEST_STATE_VERSION: u64 = 1;

/// The largest state file vpce reads (a version 1 state of 10,000 endpoints is about
/// 38 MB, a version 2 one about 22 MB, a version 3 one about 9 MB).
pub const STATE_READ_LIMIT: u64 = 256 << 20;

/// The largest lock file vpce reads (one it wrote is under 200 bytes).
const LOCK_READ_LIMIT: u64 = 64 << 10;

/// A state: as versions 1 and 2 hold it in the file, and as every version is read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "vpce state, versions 1 and 2")]
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
    #[error("the state `{path}` is not a regular file (it is {kind}); `--state` takes the JSON file `vpce apply` writes")]
    NotAFile { path: String, kind: &'static str },
    #[error("the state `{path}` is larger than {limit} MiB, more than any state vpce writes; it was left untouched", limit = STATE_READ_LIMIT >> 20)]
    TooLarge { path: String },
    #[error("the state `{path}` is a symlink to `{target}`, which does not exist; restore the file, or point `--state` at a new file to start from nothing")]
    DanglingLink { path: String, target: String },
    #[error("the state `{path}` is at serial {serial}, the largest vpce can count to; it was left untouched: start a new state file")]
    SerialExhausted { path: String, serial: u64 },
    #[error("another `vpce apply` ({holder}) holds the lock `{lock}`; if it is no longer running, remove the lock with `vpce unlock --state {state}`")]
    Locked {
        lock: String,
        holder: Holder,
        state: String,
    },
    #[error("cannot write `{path}`: {reason}")]
    Unwritable { path: String, reason: String },
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

fn unreadable(path: &Path) -> impl Fn(std::io::Error) -> StateError + '_ {
    move |e| StateError::Unreadable {
        path: shown(path),
        reason: e.to_string(),
    }
}

/// The file the state `path` is: `path` itself, or the target of the symlink there.
/// What exists must be a regular file; a symlink to nothing is refused.
pub fn resolve(path: &Path) -> Result<PathBuf, StateError> {
    let real = match fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(path.to_path_buf()),
        Err(e) => return Err(unreadable(path)(e)),
        Ok(metadata) if metadata.is_symlink() => match fs::canonicalize(path) {
            Ok(target) => target,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StateError::DanglingLink {
                    path: shown(path),
                    target: fs::read_link(path).map_or_else(|_| "?".into(), |t| shown(&t)),
                })
            }
            Err(e) => return Err(unreadable(path)(e)),
        },
        Ok(_) => path.to_path_buf(),
    };
    let file_type = fs::metadata(&real).map_err(unreadable(path))?.file_type();
    if file_type.is_file() {
        return Ok(real);
    }
    use std::os::unix::fs::FileTypeExt;
    let kind = match file_type {
        t if t.is_dir() => "a directory",
        t if t.is_fifo() => "a FIFO",
        t if t.is_char_device() || t.is_block_device() => "a device",
        t if t.is_socket() => "a socket",
        _ => "not a file",
    };
    Err(StateError::NotAFile {
        path: shown(path),
        kind,
    })
}

/// Reads the state; `Ok(None)` when the file does not exist yet.
pub fn read(path: &Path) -> Result<Option<State>, StateError> {
    let real = resolve(path)?;
    let mut bytes = Vec::new();
    match fs::File::open(&real) {
        Ok(file) => file
            .take(STATE_READ_LIMIT + 1)
            .read_to_end(&mut bytes)
            .map_err(unreadable(path))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(unreadable(path)(e)),
    };
    if bytes.len() as u64 > STATE_READ_LIMIT {
        return Err(StateError::TooLarge { path: shown(path) });
    }
    parse(path, &bytes).map(Some)
}

/// The state the file `path` holds, of any version this vpce reads.
fn parse(path: &Path, bytes: &[u8]) -> Result<State, StateError> {
    let corrupt = |reason: String| StateError::Corrupt {
        path: shown(path),
        reason,
    };
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| corrupt(format!("invalid JSON: {e}")))?;
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
    if version < OLDEST_STATE_VERSION {
        return Err(corrupt(format!("unknown version {version}")));
    }
    if version < 3 {
        return serde_json::from_value(value).map_err(|e| corrupt(e.to_string()));
    }
    let compact: CompactState =
        serde_json::from_value(value).map_err(|e| corrupt(e.to_string()))?;
    compact::expand(compact).map_err(corrupt)
}

fn unwritable(path: &Path) -> impl Fn(std::io::Error) -> StateError + '_ {
    move |e| StateError::Unwritable {
        path: shown(path),
        reason: e.to_string(),
    }
}

/// A new file beside `real` holding `text` (see [`atomic::temporary_with`]).
fn temporary_with(real: &Path, text: &str) -> Result<tempfile::NamedTempFile, StateError> {
    atomic::temporary_with(real, text).map_err(|(path, e)| unwritable(&path)(e))
}

/// The state that follows `previous`: its serial plus one, never wrapping.
pub fn next_serial(path: &Path, previous: u64) -> Result<u64, StateError> {
    previous
        .checked_add(1)
        .ok_or_else(|| StateError::SerialExhausted {
            path: shown(path),
            serial: previous,
        })
}

/// Writes the state atomically: a temporary file created exclusively under an
/// unpredictable name, fsync, rename over the state's real file, fsync of the directory.
/// `pause` (tests only) sleeps between the fsync and the rename.
pub fn write(path: &Path, state: &State, pause: Option<Duration>) -> Result<(), StateError> {
    let real = resolve(path)?;
    let text = to_text(state);
    atomic::replace(&real, &text, None, pause).map_err(|(failed, e)| {
        // The rename failing is the state failing to be written; name it as given.
        let shown = if failed == real { path } else { &failed };
        unwritable(shown)(e)
    })
}

/// The state as version 3 writes it: one line, without what can be rebuilt, and of the
/// reachability rows only those that carry traffic, the only ones a later plan reads
/// (V952: what a deletion cuts).
fn to_text(state: &State) -> String {
    let compact = compact::compact(state, |row| row.verdict.reaches());
    let mut text = serde_json::to_string(&compact).expect("the state serialises");
    text.push('\n');
    text
}

/// Who holds a lock, as its lock file says (each part `None` when it does not say).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Holder {
    pub pid: Option<u32>,
    pub host: Option<String>,
    /// When the lock was taken, RFC 3339 in UTC.
    pub created: Option<String>,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.pid {
            Some(pid) => write!(f, "pid {pid}")?,
            None => write!(f, "unknown pid")?,
        }
        if let Some(host) = &self.host {
            write!(f, " on host `{host}`")?;
        }
        if let Some(created) = &self.created {
            write!(f, ", since {created}")?;
        }
        Ok(())
    }
}

impl Holder {
    /// This process, now.
    fn this_process() -> Holder {
        Holder {
            pid: Some(std::process::id()),
            host: Some(this_host()),
            created: Some(humantime::format_rfc3339_seconds(SystemTime::now()).to_string()),
        }
    }

    /// What a lock file says: JSON, or (vpce 0.1) a bare process id.
    fn parse(text: &str) -> Holder {
        serde_json::from_str(text).unwrap_or_else(|_| Holder {
            pid: text.trim().parse().ok(),
            ..Holder::default()
        })
    }

    fn read(lock: &Path) -> Option<Holder> {
        let mut text = String::new();
        fs::File::open(lock)
            .ok()?
            .take(LOCK_READ_LIMIT)
            .read_to_string(&mut text)
            .ok()?;
        Some(Holder::parse(&text))
    }
}

/// This machine's host name, as locks record it.
pub fn this_host() -> String {
    rustix::system::uname()
        .nodename()
        .to_string_lossy()
        .into_owned()
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

    /// The lock of the state `state` (the lock of its real file, when it is a symlink).
    pub fn path_of_state(state: &Path) -> Result<PathBuf, StateError> {
        Ok(Lock::path_for(&resolve(state)?))
    }

    pub fn acquire(state: &Path) -> Result<Lock, StateError> {
        let real = resolve(state)?;
        let path = Lock::path_for(&real);
        let dir = directory(&real);
        fs::create_dir_all(&dir).map_err(unwritable(&dir))?;
        let mut text = serde_json::to_string(&Holder::this_process()).expect("serialises");
        text.push('\n');
        // The lock appears whole or not at all: written under a temporary name, then
        // hard-linked into place, which fails when a lock is there already. A holder
        // clearing temporary files may remove ours first: then we write it again.
        let mut attempts = 0;
        let linked = loop {
            attempts += 1;
            let temporary = temporary_with(&real, &text)?;
            match fs::hard_link(temporary.path(), &path) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && attempts < 5 => continue,
                result => break result,
            }
        };
        match linked {
            Ok(()) => {
                let lock = Lock { path };
                // Temporary files are only ever left by a writer that died: remove them.
                let prefix = temporary_prefix(&real);
                if let Ok(entries) = fs::read_dir(&dir) {
                    for entry in entries.flatten() {
                        if entry.file_name().to_string_lossy().starts_with(&prefix) {
                            let _ = fs::remove_file(entry.path());
                        }
                    }
                }
                Ok(lock)
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(StateError::Locked {
                lock: shown(&path),
                holder: Holder::read(&path).unwrap_or_default(),
                state: shown(state),
            }),
            Err(e) => Err(unwritable(&path)(e)),
        }
    }
}

/// Why `vpce unlock` did not remove a lock.
#[derive(Debug, thiserror::Error)]
pub enum UnlockRefused {
    #[error("`{lock}` is held by {holder}, which is still running; wait for that apply to finish. If pid {pid} is not a `vpce apply` (the number was reused), run again with `--force`")]
    Running {
        lock: String,
        holder: Holder,
        pid: u32,
    },
    #[error("`{lock}` was taken by {holder}, not on this host (`{this_host}`), so vpce cannot tell whether it still runs; when it does not, run again with `--force`")]
    OtherHost {
        lock: String,
        holder: Holder,
        this_host: String,
    },
    #[error("`{lock}` does not say which process holds it; if no `vpce apply` is running, run again with `--force`")]
    Unknown { lock: String },
    #[error("`{lock}` changed while it was checked (another apply took it); run `vpce unlock` again to check the new holder")]
    Changed { lock: String },
    #[error(transparent)]
    State(#[from] StateError),
    #[error("cannot remove `{lock}`: {reason}")]
    Unremovable { lock: String, reason: String },
}

/// What `vpce unlock` did.
#[derive(Debug, PartialEq)]
pub enum Unlocked {
    Removed { lock: PathBuf, holder: Holder },
    NotLocked { lock: PathBuf },
}

/// Removes the lock of `state` when the process that took it is gone (same host, pid
/// not running), or in any case with `force`.
pub fn unlock(state: &Path, force: bool) -> Result<Unlocked, UnlockRefused> {
    let lock = Lock::path_of_state(state)?;
    if fs::symlink_metadata(&lock).is_err() {
        return Ok(Unlocked::NotLocked { lock });
    }
    let text = {
        let mut text = String::new();
        fs::File::open(&lock)
            .and_then(|f| f.take(LOCK_READ_LIMIT).read_to_string(&mut text))
            .map_err(|e| StateError::Unreadable {
                path: shown(&lock),
                reason: e.to_string(),
            })?;
        text
    };
    let holder = Holder::parse(&text);
    let shown_lock = shown(&lock);
    if !force {
        let this_host = this_host();
        match (&holder.host, holder.pid) {
            (Some(host), _) if *host != this_host => {
                return Err(UnlockRefused::OtherHost {
                    lock: shown_lock,
                    holder,
                    this_host,
                })
            }
            (None, _) | (_, None) => return Err(UnlockRefused::Unknown { lock: shown_lock }),
            (Some(_), Some(pid)) if running(pid) => {
                return Err(UnlockRefused::Running {
                    lock: shown_lock,
                    holder,
                    pid,
                })
            }
            _ => {}
        }
        // Remove only the lock that was checked, not one a new apply took since.
        let again = Holder::read(&lock);
        if again.as_ref() != Some(&holder) {
            return Err(UnlockRefused::Changed { lock: shown_lock });
        }
    }
    match fs::remove_file(&lock) {
        Ok(()) => Ok(Unlocked::Removed { lock, holder }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Unlocked::NotLocked { lock }),
        Err(e) => Err(UnlockRefused::Unremovable {
            lock: shown_lock,
            reason: e.to_string(),
        }),
    }
}

/// Whether process `pid` of this host runs (signal 0: `ESRCH` means it does not; any
/// other answer, such as no permission to signal it, means it does).
fn running(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    !matches!(
        rustix::process::test_kill_process(pid),
        Err(rustix::io::Errno::SRCH)
    )
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `schemas/state.schema.json` (version 3, written) and `schemas/state-v2.schema.json`
    /// (versions 1 and 2, still read) are generated from [`CompactState`] and [`State`];
    /// regenerate them with `UPDATE_SCHEMAS=1 cargo test -p vpce_cli`.
    #[test]
    fn committed_schemas_are_fresh() {
        let schemas = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas");
        for (name, fresh) in [
            (
                "state.schema.json",
                vpce_diagnostics::schema::schema_json::<CompactState>(),
            ),
            (
                "state-v2.schema.json",
                vpce_diagnostics::schema::schema_json::<State>(),
            ),
        ] {
            vpce_diagnostics::schema::assert_committed(
                &format!("{schemas}/{name}"),
                &fresh,
                "UPDATE_SCHEMAS=1 cargo test -p vpce_cli",
            );
        }
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
        std::fs::write(&path, "{\"version\": 4}").unwrap();
        let error = read(&path).unwrap_err().to_string();
        assert!(error.contains("version 4, newer"), "{error}");
    }

    /// A version 1 state (indented, every reachability row) of a generated configuration,
    /// the version 2 state of the same simulation (one line, only the rows that carry
    /// traffic) and the version 3 one.
    fn generated_states() -> (State, String, String, String) {
        let outcome = vpce_driver::check_text(&vpce_driver::generate::configuration(100));
        let state = State {
            version: 1,
            serial: 1,
            vpce_version: "0.1.0".into(),
            snapshot: vpce_emit_plan::simulate(&outcome.valid_model().expect("no errors")),
        };
        let version_1 = serde_json::to_string_pretty(&state).unwrap() + "\n";
        let mut carrying = State {
            version: 2,
            ..state.clone()
        };
        carrying
            .snapshot
            .reachability
            .retain(|row| row.verdict.reaches());
        let version_2 = serde_json::to_string(&carrying).unwrap() + "\n";
        let version_3 = to_text(&state);
        (state, version_1, version_2, version_3)
    }

    #[test]
    fn version_1_states_are_still_read_exactly() {
        let (state, version_1, _, _) = generated_states();
        assert_eq!(
            parse(Path::new("state.json"), version_1.as_bytes()).unwrap(),
            state
        );
    }

    #[test]
    fn versions_2_and_3_keep_what_a_plan_reads_in_fewer_bytes() {
        let (state, version_1, version_2, version_3) = generated_states();
        let resources = state.snapshot.resources.len();
        let read_2 = parse(Path::new("state.json"), version_2.as_bytes()).unwrap();
        let read_3 = parse(Path::new("state.json"), version_3.as_bytes()).unwrap();
        assert_eq!(read_2.version, 2);
        assert_eq!(read_3.version, 3);
        assert_eq!(read_2.snapshot, read_3.snapshot);
        assert_eq!(read_2.snapshot.resources, state.snapshot.resources);
        let carrying: Vec<_> = state
            .snapshot
            .reachability
            .iter()
            .filter(|r| r.verdict.reaches())
            .cloned()
            .collect();
        assert_eq!(read_2.snapshot.reachability, carrying);
        // Measured: version 1 about 2,000 bytes a resource, version 2 about 1,230,
        // version 3 about 470.
        let per_resource = |text: &str| text.len() / resources;
        assert!(
            per_resource(&version_1) > 1_900,
            "{}",
            per_resource(&version_1)
        );
        assert!(
            per_resource(&version_2) <= 1_300,
            "{}",
            per_resource(&version_2)
        );
        assert!(
            per_resource(&version_3) <= 600,
            "{}",
            per_resource(&version_3)
        );
    }

    /// States written by earlier vpce versions and committed, with the version 3 state of
    /// the same simulation: all read to the same snapshot, and this vpce writes that
    /// snapshot to the committed version 3 bytes. A change in how version 3 rebuilds a
    /// field fails here, and needs a new version. Regenerate the version 3 files with
    /// `UPDATE_STATES=1 cargo test -p vpce_cli` only when their snapshots changed.
    #[test]
    fn committed_states_of_every_version_read_alike() {
        let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/states"));
        for example in ["quickstart", "saas-provider", "shared-services"] {
            let version_2 = dir.join(format!("{example}.v2.json"));
            let version_3 = dir.join(format!("{example}.v3.json"));
            let older = read(&version_2).unwrap().expect("committed");
            assert_eq!(older.version, 2);
            let written = to_text(&older);
            if std::env::var_os("UPDATE_STATES").is_some() {
                std::fs::write(&version_3, &written).unwrap();
            }
            let committed = std::fs::read_to_string(&version_3).unwrap();
            assert!(
                committed == written,
                "{example}: the version 3 bytes changed"
            );
            let newer = read(&version_3).unwrap().expect("committed");
            assert_eq!(newer.snapshot, older.snapshot, "{example}");
        }
    }

    #[test]
    fn the_lock_is_exclusive_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let lock = Lock::acquire(&path).unwrap();
        let error = Lock::acquire(&path).unwrap_err().to_string();
        assert!(
            error.contains(&format!(
                "(pid {} on host `{}`, since ",
                std::process::id(),
                this_host()
            )),
            "{error}"
        );
        drop(lock);
        assert!(!Lock::path_for(&path).exists());
        let _again = Lock::acquire(&path).unwrap();
    }
}
