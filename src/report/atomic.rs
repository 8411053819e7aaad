//! Writing files whole or not at all, one file or several together.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Error, Result};

/// Writes `path` through `write`, atomically: the bytes go to a temporary file
/// in the same directory, which is renamed over `path` only once `write` has
/// succeeded and the data is flushed. A failed or interrupted write leaves
/// `path` as it was (absent, or its old content), never truncated.
///
/// # Example
/// ```
/// use std::io::Write;
///
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("out.txt");
/// topica::report::write_atomically(&path, |w| writeln!(w, "hello")).unwrap();
/// assert_eq!(std::fs::read_to_string(&path).unwrap(), "hello\n");
/// ```
pub fn write_atomically(
    path: impl AsRef<Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let mut staging = Staging::new();
    staging.write(path, write)?;
    staging.commit()
}

/// Several output files written together: each is written to a temporary file
/// beside its target, and [`commit`](Staging::commit) renames them all into
/// place only once every one has been written. If any write fails, dropping
/// the staging deletes the temporary files and no target is touched.
///
/// # Example
/// ```
/// use std::io::Write;
/// use topica::report::Staging;
///
/// let dir = tempfile::tempdir().unwrap();
/// let (a, b) = (dir.path().join("a.txt"), dir.path().join("missing/b.txt"));
/// let mut staging = Staging::new();
/// staging.write(&a, |w| writeln!(w, "a")).unwrap();
/// assert!(staging.write(&b, |w| writeln!(w, "b")).is_err());
/// drop(staging);
/// assert!(!a.exists(), "a failed output leaves every target untouched");
/// ```
#[derive(Debug, Default)]
pub struct Staging {
    files: Vec<(PathBuf, NamedTempFile)>,
}

impl Staging {
    /// Nothing staged yet.
    pub fn new() -> Staging {
        Staging::default()
    }

    /// Writes the future content of `path` through `write`, to a temporary
    /// file in `path`'s directory, flushed to disk.
    pub fn write(
        &mut self,
        path: impl AsRef<Path>,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        let path = path.as_ref();
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".topica-").suffix(".tmp");
        // tempfile creates 0600 files; an output is an ordinary file, made
        // as `File::create` makes one (0666 less the user's umask).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let file = builder
            .tempfile_in(dir)
            .map_err(|e| Error::io(path, without_temporary_path(e)))?;
        let mut writer = BufWriter::with_capacity(1 << 16, file);
        write(&mut writer)
            .and_then(|()| writer.flush())
            .map_err(|e| Error::io(path, e))?;
        let file = writer
            .into_inner()
            .map_err(|e| Error::io(path, e.into_error()))?;
        file.as_file().sync_data().map_err(|e| Error::io(path, e))?;
        self.files.push((path.to_path_buf(), file));
        Ok(())
    }

    /// Renames every staged file into place, in the order written.
    pub fn commit(self) -> Result<()> {
        for (path, file) in self.files {
            file.persist(&path).map_err(|e| Error::io(&path, e.error))?;
        }
        Ok(())
    }
}

/// The error of creating a temporary file, without the temporary file's
/// random name that `tempfile` appends (" at path ..."): the message names
/// the target instead.
fn without_temporary_path(e: std::io::Error) -> std::io::Error {
    let text = e.to_string();
    match text.rsplit_once(" at path ") {
        Some((message, _)) => std::io::Error::new(e.kind(), message.to_string()),
        None => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        std::fs::write(&path, "old").unwrap();
        let err = write_atomically(&path, |w| {
            w.write_all(b"half")?;
            Err(std::io::Error::other("disk on fire"))
        })
        .unwrap_err();
        assert!(
            err.to_string().contains("report.json: disk on fire"),
            "{err}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn outputs_are_ordinary_files_not_private_temporaries() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.html");
        write_atomically(&path, |w| w.write_all(b"<p>")).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        let plain = dir.path().join("plain");
        std::fs::File::create(&plain).unwrap();
        let want = std::fs::metadata(&plain).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, want, "{mode:o} vs File::create's {want:o}");
    }

    #[test]
    fn a_missing_directory_is_an_io_error_naming_only_the_target() {
        let err = write_atomically("/nonexistent-dir/x.mtx", |_| Ok(()))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("/nonexistent-dir/x.mtx: "), "{err}");
        assert!(!err.contains(".topica-"), "{err}");
    }

    #[test]
    fn nothing_is_renamed_until_every_file_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::write(&a, "old a").unwrap();
        let mut staging = Staging::new();
        staging.write(&a, |w| w.write_all(b"new a")).unwrap();
        staging.write(&b, |w| w.write_all(b"new b")).unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old a");
        assert!(!b.exists());
        staging.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "new a");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "new b");
    }
}
