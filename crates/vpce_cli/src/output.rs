//! Writing the build directory so that it always holds one complete build.
//!
//! The new templates and `manifest.json` are written into a fresh directory beside the
//! output directory (`.NAME.vpce-build-RANDOM`, created exclusively, files created with
//! `O_EXCL` so nothing is ever opened through a symlink), together with hard links of the
//! user's own files. Then one `renameat2(RENAME_EXCHANGE)` swaps it with the output
//! directory: readers see the old set or the new set, never a mix, under the template
//! names they always had. The old directory, now set aside, is emptied: what its
//! manifest listed is removed, anything the user had there that could not be linked
//! (directories) is moved back. A build killed at any point leaves at most such a
//! set-aside directory, which the next build empties the same way. Builds into one
//! directory take turns: each holds an `flock` of the output directory, which the kernel
//! releases when the process dies (and takes again when the directory it locked was
//! swapped away meanwhile).

use std::{
    collections::BTreeSet,
    ffi::{OsStr, OsString},
    fs,
    io::{self, Read, Write},
    os::unix::fs::MetadataExt,
    path::Path,
};

use rustix::fs::{FlockOperation, RenameFlags, CWD};

/// The manifest, which lists the templates of a build: the files vpce owns.
pub const MANIFEST: &str = "manifest.json";

/// A manifest larger than this is not one vpce wrote: it is read as listing nothing.
const MANIFEST_READ_LIMIT: u64 = 64 << 20;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("`-o {path}` is a file, not a directory: `-o` takes the directory to write the templates and `manifest.json` into")]
    NotADirectory { path: String },
    #[error("cannot replace the contents of `{path}` in one step ({reason}): vpce swaps the whole directory, which a mount point or a file system without `renameat2` exchange cannot do; write into a directory inside it, e.g. `-o {path}/cfn`")]
    CannotSwap { path: String, reason: String },
    #[error("cannot write `{path}`: {reason}")]
    Io { path: String, reason: String },
}

fn io_error(path: &Path) -> impl Fn(io::Error) -> WriteError + '_ {
    move |e| WriteError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

/// Replaces the build in `dir` (created if missing) with `files` (`manifest.json`
/// among them) in one step, keeping every file vpce did not write there.
pub fn write_build(dir: &Path, files: &[(String, String)]) -> Result<(), WriteError> {
    match fs::metadata(dir) {
        Ok(metadata) if !metadata.is_dir() => {
            return Err(WriteError::NotADirectory {
                path: dir.display().to_string(),
            })
        }
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::create_dir_all(dir).map_err(io_error(dir))?
        }
        Err(e) => return Err(io_error(dir)(e)),
    }
    // A symlinked output directory stays a symlink: its target is what is replaced.
    let dir = &fs::canonicalize(dir).map_err(io_error(dir))?;
    let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else {
        return Err(WriteError::CannotSwap {
            path: dir.display().to_string(),
            reason: "it has no parent directory".into(),
        });
    };
    let _lock = lock(dir)?;
    let aside_prefix = format!(".{}.vpce-build-", name.to_string_lossy());

    // Holding the lock, every set-aside directory is a killed build's: empty it.
    for entry in fs::read_dir(parent).map_err(io_error(parent))?.flatten() {
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir
            && entry
                .file_name()
                .to_string_lossy()
                .starts_with(&aside_prefix)
        {
            retire(&entry.path(), dir);
        }
    }

    let staging = tempfile::Builder::new()
        .prefix(&aside_prefix)
        .tempdir_in(parent)
        .map_err(io_error(parent))?
        .keep();
    let staged = stage(&staging, dir, files);
    let swapped = staged.and_then(|()| {
        rustix::fs::renameat_with(CWD, &staging, CWD, dir, RenameFlags::EXCHANGE).map_err(|e| {
            WriteError::CannotSwap {
                path: dir.display().to_string(),
                reason: io::Error::from(e).to_string(),
            }
        })
    });
    // After the swap `staging` holds the previous build; before it (on failure), the
    // unused new one. Either way it is emptied and removed.
    retire(&staging, dir);
    swapped?;
    // Make the swap durable.
    if let Ok(parent) = fs::File::open(parent) {
        let _ = parent.sync_all();
    }
    Ok(())
}

/// Waits for the builds into `dir` before this one: an `flock` of the directory, taken
/// again when another build swapped it meanwhile (the lock was on the old one).
fn lock(dir: &Path) -> Result<fs::File, WriteError> {
    loop {
        let handle = fs::File::open(dir).map_err(io_error(dir))?;
        rustix::fs::flock(&handle, FlockOperation::LockExclusive)
            .map_err(|e| io_error(dir)(e.into()))?;
        let locked = handle.metadata().map_err(io_error(dir))?;
        let current = fs::metadata(dir).map_err(io_error(dir))?;
        if (locked.dev(), locked.ino()) == (current.dev(), current.ino()) {
            return Ok(handle);
        }
    }
}

/// Writes the new build into `staging` and links the user's files of `dir` beside it.
fn stage(staging: &Path, dir: &Path, files: &[(String, String)]) -> Result<(), WriteError> {
    fs::set_permissions(
        staging,
        fs::metadata(dir).map_err(io_error(dir))?.permissions(),
    )
    .map_err(io_error(staging))?;
    // The manifest first, so that a killed build's staging directory says what it holds.
    let mut ordered: Vec<&(String, String)> = files.iter().filter(|(n, _)| n == MANIFEST).collect();
    ordered.extend(files.iter().filter(|(n, _)| n != MANIFEST));
    for (name, contents) in ordered {
        let path = staging.join(name);
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(io_error(&path))?;
        file.write_all(contents.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(io_error(&path))?;
    }
    let new: BTreeSet<&OsStr> = files.iter().map(|(n, _)| OsStr::new(n)).collect();
    let previous = manifest_files(dir);
    for entry in fs::read_dir(dir).map_err(io_error(dir))?.flatten() {
        let name = entry.file_name();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if new.contains(name.as_os_str()) || owned(&name, &previous) || is_dir {
            continue;
        }
        // What cannot be linked is moved back after the swap instead.
        let _ = fs::hard_link(entry.path(), staging.join(&name));
    }
    if let Ok(handle) = fs::File::open(staging) {
        let _ = handle.sync_all();
    }
    Ok(())
}

/// Whether vpce wrote `name`: the manifest, a template it lists, or a temporary file of
/// vpce before 0.2 (`.NAME.vpce-tmp-PID`).
fn owned(name: &OsStr, listed: &BTreeSet<OsString>) -> bool {
    let text = name.to_string_lossy();
    name == MANIFEST
        || listed.contains(name)
        || (text.starts_with('.') && text.contains(".vpce-tmp-"))
}

/// The templates `dir/manifest.json` lists (plain names only; nothing when it is
/// missing, too large or not a manifest).
fn manifest_files(dir: &Path) -> BTreeSet<OsString> {
    let path = dir.join(MANIFEST);
    let mut text = Vec::new();
    let read = fs::symlink_metadata(&path)
        .ok()
        .filter(|m| m.is_file())
        .and_then(|_| fs::File::open(&path).ok())
        .and_then(|f| f.take(MANIFEST_READ_LIMIT).read_to_end(&mut text).ok());
    let Some(manifest) = read.and_then(|_| serde_json::from_slice::<serde_json::Value>(&text).ok())
    else {
        return BTreeSet::new();
    };
    let stacks = manifest["stacks"].as_array().cloned().unwrap_or_default();
    stacks
        .iter()
        .filter_map(|stack| stack["file"].as_str())
        .filter(|file| {
            let mut parts = Path::new(file).components();
            matches!(
                (parts.next(), parts.next()),
                (Some(std::path::Component::Normal(_)), None)
            )
        })
        .map(OsString::from)
        .collect()
}

/// Whether `a` and `b` are the same file (hard links of one inode).
fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::symlink_metadata(a), fs::symlink_metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Empties and removes a directory set aside beside `dir`: the files vpce wrote and the
/// links of files `dir` still has are removed, anything else (the user's) is moved back
/// into `dir`. What cannot be moved back stays, and is named.
fn retire(aside: &Path, dir: &Path) {
    let listed = manifest_files(aside);
    let Ok(entries) = fs::read_dir(aside) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let path = entry.path();
        let live = dir.join(&name);
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if name == MANIFEST {
            continue;
        }
        if (!is_dir && owned(&name, &listed)) || same_file(&path, &live) {
            let _ = fs::remove_file(&path);
        } else if fs::symlink_metadata(&live).is_err() {
            let _ = fs::rename(&path, &live);
        }
    }
    // The manifest goes last: until then, a retirement cut short by a kill is resumed
    // knowing which files are vpce's.
    let _ = fs::remove_file(aside.join(MANIFEST));
    if fs::remove_dir(aside).is_err() && aside.exists() {
        eprintln!(
            "vpce: warning: kept `{}`: it holds files that were in `{}` and whose names are now taken; move them back by hand",
            aside.display(),
            dir.display()
        );
    }
}
