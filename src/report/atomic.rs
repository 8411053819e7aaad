//! Writing files whole or not at all, one file or several together.
//!
//! An output is a path: a regular file (or one to be made) is written to a
//! temporary file beside it and renamed over it; a symbolic link is
//! followed, so that the file it points to is replaced and the link kept;
//! `-` is standard output, and a file that is neither regular nor a
//! directory (a device such as `/dev/null`, a named pipe) is written to
//! directly: neither can be replaced by a rename, so their bytes are kept in
//! memory and written only once every output of the run has been produced.
//! A name ending in `.gz` is written gzip-compressed (as inputs named `.gz`
//! are read).

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;
use tempfile::NamedTempFile;

use crate::error::{Error, Result};

/// The name that stands for standard output.
const STDOUT: &str = "-";

/// Writes `path` through `write`, atomically: the bytes go to a temporary file
/// in the same directory, which is renamed over `path` only once `write` has
/// succeeded and the data is flushed. A failed or interrupted write leaves
/// `path` as it was (absent, or its old content), never truncated. See the
/// module's documentation for symbolic links, `-`, devices and `.gz`.
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

/// Whether an output named `path` is written gzip-compressed: its name ends
/// in `.gz` (in any case). Callers that choose a format by the extension
/// look at the name without it ([`without_gz`]).
pub fn is_gz(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// `path` without a final `.gz` (`out.csv.gz` is `out.csv`).
pub fn without_gz(path: &Path) -> PathBuf {
    if is_gz(path) {
        path.with_extension("")
    } else {
        path.to_path_buf()
    }
}

/// Checks, before any work, that at most one of a command's outputs
/// (`(option, path)`, the option naming it in the error) is standard output
/// (`-`): [`Staging`] refuses the second one only once both are written.
///
/// ```
/// use std::path::Path;
/// use topica::report::check_standard_output;
///
/// let dash = Some(Path::new("-"));
/// assert!(check_standard_output(&[("output", dash), ("assignments", None)]).is_ok());
/// let err = check_standard_output(&[("output", dash), ("assignments", dash)]).unwrap_err();
/// assert!(err.to_string().contains("assignments"));
/// ```
pub fn check_standard_output(
    outputs: &[(&'static str, Option<&Path>)],
) -> std::result::Result<(), crate::ParamError> {
    let mut on_stdout = outputs
        .iter()
        .filter(|(_, p)| p.is_some_and(|p| p.as_os_str() == STDOUT))
        .map(|(option, _)| *option);
    match (on_stdout.next(), on_stdout.next()) {
        (Some(first), Some(second)) => Err(crate::ParamError::new(
            second,
            format!("only one output can go to standard output, and --{first} is `-` already"),
        )),
        _ => Ok(()),
    }
}

/// Checks, before any work, that a command's outputs destroy nothing it
/// reads and do not overwrite each other: at most one is standard output
/// ([`check_standard_output`]); no two name the same file; and none names a
/// file among `inputs` (`(option, path)`: the files and directories the
/// command reads, `input` for its corpus), nor an existing file inside an
/// input directory (a file read as part of the corpus). Without this check
/// `topica cluster a.txt -o a.txt` read `a.txt`, then replaced it with the
/// report, and exited 0.
///
/// Files are compared as the outputs are written: through symbolic links, and
/// by device and inode where both exist (so that hard links and `./a` against
/// `a` are caught; elsewhere than Unix, by canonical path). Outputs that are not regular files (devices such as
/// `/dev/null`, named pipes) are never compared: writing one twice destroys
/// nothing. Errors are [`crate::ParamError`]s naming the option (exit status
/// 2 in the command-line tool).
///
/// ```
/// use std::path::Path;
/// use topica::report::check_outputs;
///
/// let dir = tempfile::tempdir().unwrap();
/// let corpus = dir.path().join("a.txt");
/// std::fs::write(&corpus, "some text").unwrap();
/// let report = dir.path().join("report.json");
/// let input = [("input", corpus.as_path())];
/// assert!(check_outputs(&[("output", Some(report.as_path()))], &input).is_ok());
/// let err = check_outputs(&[("output", Some(corpus.as_path()))], &input).unwrap_err();
/// assert!(err.to_string().contains("a.txt"));
/// let same = [("output", Some(report.as_path())), ("assignments", Some(report.as_path()))];
/// assert!(check_outputs(&same, &input).is_err());
/// ```
pub fn check_outputs(
    outputs: &[(&'static str, Option<&Path>)],
    inputs: &[(&'static str, &Path)],
) -> std::result::Result<(), crate::ParamError> {
    check_standard_output(outputs)?;
    let named: Vec<(&'static str, &Path, FileKey)> = outputs
        .iter()
        .filter_map(|&(option, path)| {
            let path = path?;
            (path.as_os_str() != STDOUT)
                .then(|| FileKey::of(path).map(|key| (option, path, key)))
                .flatten()
        })
        .collect();
    for (i, (option, path, key)) in named.iter().enumerate() {
        if let Some((first, _, _)) = named[..i].iter().find(|(_, _, k)| k == key) {
            return Err(crate::ParamError::new(
                option,
                format!(
                    "{} is also the file of --{first}: one would replace the other; give each \
                     output its own file",
                    path.display()
                ),
            ));
        }
        for &(input_option, input) in inputs {
            let what = if input.is_dir() {
                format!("a file of the input directory {}", input.display())
            } else if input_option == "input" {
                format!("an input ({})", input.display())
            } else {
                format!("the file of --{input_option} ({})", input.display())
            };
            let clash = if input.is_dir() {
                // An existing output inside a directory the corpus is read
                // from is one of the files read.
                path.is_file()
                    && match (path.canonicalize(), input.canonicalize()) {
                        (Ok(out), Ok(dir)) => out.starts_with(dir),
                        _ => false,
                    }
            } else {
                FileKey::of(input).as_ref() == Some(key)
            };
            if clash {
                return Err(crate::ParamError::new(
                    option,
                    format!(
                        "{} is {what}: writing it would destroy what is read; choose another \
                         output file",
                        path.display(),
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// What identifies a file an output would write: an existing regular file
/// by device and inode (through symbolic links), a file to be made by its
/// canonical directory and name. `None` for what is never compared: devices,
/// pipes, and paths whose directory cannot be resolved (writing fails there
/// with its own message).
#[derive(Debug, PartialEq, Eq)]
enum FileKey {
    Existing { dev: u64, ino: u64 },
    New(PathBuf),
}

impl FileKey {
    fn of(path: &Path) -> Option<FileKey> {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_file() => Some(Self::existing(path, &meta)),
            Ok(_) => None,
            Err(_) => {
                // A name to be made (or a dangling link: Staging creates its
                // target, compared here by the link's own name).
                let name = path.file_name()?;
                let parent = match path.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p,
                    _ => Path::new("."),
                };
                Some(FileKey::New(parent.canonicalize().ok()?.join(name)))
            }
        }
    }

    #[cfg(unix)]
    fn existing(_path: &Path, meta: &std::fs::Metadata) -> FileKey {
        use std::os::unix::fs::MetadataExt;
        FileKey::Existing {
            dev: meta.dev(),
            ino: meta.ino(),
        }
    }

    #[cfg(not(unix))]
    fn existing(path: &Path, _meta: &std::fs::Metadata) -> FileKey {
        // No inodes: the canonical path (hard links are not caught).
        FileKey::New(path.canonicalize().unwrap_or_else(|_| path.to_path_buf()))
    }
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
    files: Vec<Staged>,
}

/// One output waiting for [`Staging::commit`].
#[derive(Debug)]
enum Staged {
    /// A temporary file, to be renamed over `target` (the path named, its
    /// symbolic links followed).
    Renamed {
        path: PathBuf,
        target: PathBuf,
        file: NamedTempFile,
    },
    /// Bytes for standard output (`target` `None`) or for a file that
    /// cannot be replaced by a rename.
    Streamed {
        path: PathBuf,
        target: Option<PathBuf>,
        bytes: Vec<u8>,
    },
}

impl Staging {
    /// Nothing staged yet.
    pub fn new() -> Staging {
        Staging::default()
    }

    /// Writes the future content of `path` through `write`: to a temporary
    /// file in the directory of the file `path` names (flushed to disk), or
    /// in memory for standard output and for devices and pipes.
    pub fn write(
        &mut self,
        path: impl AsRef<Path>,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        let path = path.as_ref();
        let gz = is_gz(path);
        let target = match self.destination(path)? {
            Destination::Renamed(target) => target,
            Destination::Streamed(target) => {
                let bytes = encode(Vec::new(), gz, write).map_err(|e| Error::io(path, e))?;
                self.files.push(Staged::Streamed {
                    path: path.to_path_buf(),
                    target,
                    bytes,
                });
                return Ok(());
            }
        };
        let dir = match target.parent() {
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
        let mut writer = encode(BufWriter::with_capacity(1 << 16, file), gz, write)
            .map_err(|e| Error::io(path, e))?;
        writer.flush().map_err(|e| Error::io(path, e))?;
        let file = writer
            .into_inner()
            .map_err(|e| Error::io(path, e.into_error()))?;
        file.as_file().sync_data().map_err(|e| Error::io(path, e))?;
        self.files.push(Staged::Renamed {
            path: path.to_path_buf(),
            target,
            file,
        });
        Ok(())
    }

    /// Where the output named `path` goes: standard output for `-` (once),
    /// the file its links lead to, written to directly when it is a device
    /// or pipe; a directory is refused.
    fn destination(&self, path: &Path) -> Result<Destination> {
        if path.as_os_str() == STDOUT {
            let taken = self
                .files
                .iter()
                .any(|f| matches!(f, Staged::Streamed { target: None, .. }));
            if taken {
                return Err(Error::io(
                    path,
                    std::io::Error::other("only one output can go to standard output"),
                ));
            }
            return Ok(Destination::Streamed(None));
        }
        let target = follow_links(path).map_err(|e| Error::io(path, e))?;
        match std::fs::metadata(&target) {
            Ok(m) if m.is_dir() => Err(Error::io(
                path,
                std::io::Error::other("is a directory: name a file to write"),
            )),
            Ok(m) if !m.is_file() => Ok(Destination::Streamed(Some(target))),
            _ => Ok(Destination::Renamed(target)),
        }
    }

    /// Puts every staged output in place, in the order written: renames the
    /// temporary files, writes the bytes kept for standard output, devices
    /// and pipes.
    pub fn commit(self) -> Result<()> {
        for staged in self.files {
            match staged {
                Staged::Renamed { path, target, file } => {
                    file.persist(&target)
                        .map_err(|e| Error::io(&path, e.error))?;
                }
                Staged::Streamed {
                    path,
                    target,
                    bytes,
                } => {
                    let written = match target {
                        None => {
                            let mut out = std::io::stdout().lock();
                            out.write_all(&bytes).and_then(|()| out.flush())
                        }
                        Some(target) => std::fs::OpenOptions::new()
                            .write(true)
                            .open(&target)
                            .and_then(|mut f| f.write_all(&bytes)),
                    };
                    written.map_err(|e| Error::io(&path, e))?;
                }
            }
        }
        Ok(())
    }
}

/// How an output reaches its file ([`Staging::destination`]).
enum Destination {
    /// Through a temporary file renamed over this one.
    Renamed(PathBuf),
    /// Written to directly at commit: standard output (`None`) or a device
    /// or pipe.
    Streamed(Option<PathBuf>),
}

/// Runs `write` on `sink`, through a gzip encoder when `gz`, and gives the
/// sink back.
fn encode<W: Write>(
    mut sink: W,
    gz: bool,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<W> {
    if gz {
        let mut encoder = GzEncoder::new(sink, Compression::default());
        write(&mut encoder)?;
        encoder.finish()
    } else {
        write(&mut sink)?;
        Ok(sink)
    }
}

/// The file `path` names, its symbolic links followed (a link's relative
/// target is taken from the link's directory). A dangling link names the
/// file to be made where it points.
fn follow_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    // As Linux's limit on links followed in one lookup (ELOOP).
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) => dir.join(link),
                    None => link,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
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

    /// Writing through a symbolic link replaces the file it points to and
    /// keeps the link (a dangling one makes its file); a directory is
    /// refused, naming the path given.
    #[cfg(unix)]
    #[test]
    fn links_are_followed_and_directories_refused() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        let link = dir.path().join("link.json");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink("real.json", &link).unwrap();
        write_atomically(&link, |w| w.write_all(b"new")).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        let dangling = dir.path().join("dangling.json");
        std::os::unix::fs::symlink("made.json", &dangling).unwrap();
        write_atomically(&dangling, |w| w.write_all(b"made")).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("made.json")).unwrap(),
            "made"
        );
        let err = write_atomically(dir.path(), |w| w.write_all(b"x"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("is a directory"), "{err}");
        // Nothing but the three files and two links.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 4);
    }

    /// A named pipe is written to, not replaced by a regular file, and only
    /// at commit.
    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_written_to_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("pipe.json");
        let made = std::process::Command::new("mkfifo").arg(&pipe).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
        let reader = {
            let pipe = pipe.clone();
            std::thread::spawn(move || std::fs::read(pipe).unwrap())
        };
        let mut staging = Staging::new();
        staging
            .write(&pipe, |w| w.write_all(b"through the pipe"))
            .unwrap();
        staging.commit().unwrap();
        assert_eq!(reader.join().unwrap(), b"through the pipe");
        use std::os::unix::fs::FileTypeExt;
        assert!(std::fs::metadata(&pipe).unwrap().file_type().is_fifo());
    }

    /// A name ending in `.gz` is written gzip-compressed; `-` is standard
    /// output, once.
    #[test]
    fn gz_names_are_compressed_and_standard_output_is_one_output() {
        use std::io::Read;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv.gz");
        write_atomically(&path, |w| w.write_all(b"id,topic\n")).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap())
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "id,topic\n");
        assert_eq!(without_gz(&path), dir.path().join("out.csv"));
        assert_eq!(without_gz(Path::new("a.csv")), Path::new("a.csv"));
        let mut staging = Staging::new();
        staging.write("-", |w| w.write_all(b"")).unwrap();
        let err = staging.write("-", |w| w.write_all(b"")).unwrap_err();
        assert!(err.to_string().contains("only one output"), "{err}");
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
