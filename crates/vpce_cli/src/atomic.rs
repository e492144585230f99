//! Replacing a file so that a reader, or a crash, sees the old content or the new one,
//! never a mix: the new content goes into a temporary file beside it, created
//! exclusively under an unpredictable name (never through a planted symlink), flushed
//! to disk, then renamed over the file, and the directory flushed. Used for the state
//! file and for `vpce fmt`.

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
    time::Duration,
};

/// What failed: the path it failed on and why.
pub type Failure = (PathBuf, std::io::Error);

/// The directory `path` is in (`.` for a bare name).
pub fn directory(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The temporary files of `path`'s writers: `.NAME.vpce-tmp-RANDOM` beside it.
pub fn temporary_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    format!(".{name}.vpce-tmp-")
}

/// A new file beside `real` holding `text`, flushed to disk, removed when dropped
/// unless persisted.
pub fn temporary_with(real: &Path, text: &str) -> Result<tempfile::NamedTempFile, Failure> {
    let dir = directory(real);
    let mut temporary = tempfile::Builder::new()
        .prefix(&temporary_prefix(real))
        .tempfile_in(&dir)
        .map_err(|e| (dir, e))?;
    temporary
        .write_all(text.as_bytes())
        .and_then(|()| temporary.as_file().sync_all())
        .map_err(|e| (temporary.path().to_path_buf(), e))?;
    Ok(temporary)
}

/// Replaces the file `real` (not a symlink: its target) with `text`. The new file gets
/// `permissions` (a temporary file is private to its owner). `pause` (tests only)
/// sleeps between the flush and the rename.
pub fn replace(
    real: &Path,
    text: &str,
    permissions: Option<fs::Permissions>,
    pause: Option<Duration>,
) -> Result<(), Failure> {
    let temporary = temporary_with(real, text)?;
    if let Some(permissions) = permissions {
        temporary
            .as_file()
            .set_permissions(permissions)
            .map_err(|e| (temporary.path().to_path_buf(), e))?;
    }
    if let Some(pause) = pause {
        std::thread::sleep(pause);
    }
    temporary
        .persist(real)
        .map_err(|e| (real.to_path_buf(), e.error))?;
    // Make the rename durable.
    if let Ok(directory) = fs::File::open(directory(real)) {
        let _ = directory.sync_all();
    }
    Ok(())
}
