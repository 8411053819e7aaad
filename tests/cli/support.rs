//! Helpers for the command-line tests: running the binary, reading what it
//! printed and wrote, and building inputs in temporary directories.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

/// The bundled corpus: 3 articles, 74 paragraphs.
pub const NEWS: &str = "data/news";
/// Its second article: 17 paragraphs, one a line.
pub const BBC: &str = "data/news/02-bbc-officials-monitor-musk-posts.txt";

/// The `topica` binary, run from the crate root (so `data/news` resolves).
pub fn topica() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_topica"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .timeout(Duration::from_secs(120));
    cmd
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    /// The exit status (`None`: killed by a signal).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `topica ARGS...`.
pub fn run<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    finish(topica().args(args))
}

/// Runs `topica ARGS...` with `stdin` as standard input.
pub fn run_stdin<I, S>(args: I, stdin: impl Into<Vec<u8>>) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    finish(topica().args(args).write_stdin(stdin.into()))
}

fn finish(cmd: &mut assert_cmd::Command) -> Run {
    let out = cmd.output().expect("topica runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

impl Run {
    /// The lines of standard error.
    pub fn stderr_lines(&self) -> Vec<&str> {
        self.stderr.lines().collect()
    }

    /// Asserts a failure with `code`: nothing on standard output and exactly
    /// one line, `topica: MESSAGE`, on standard error (not a warning).
    /// Returns `MESSAGE`.
    #[track_caller]
    pub fn error(&self, code: i32) -> &str {
        assert_eq!(self.code, Some(code), "exit status; {self:#?}");
        assert_eq!(self.stdout, "", "nothing on stdout; {self:#?}");
        assert!(
            self.stderr.ends_with('\n') && self.stderr.lines().count() == 1,
            "stderr must be exactly one line; {self:#?}"
        );
        let message = self
            .stderr
            .trim_end_matches('\n')
            .strip_prefix("topica: ")
            .unwrap_or_else(|| panic!("stderr must start with `topica: `; {self:#?}"));
        assert!(
            !message.starts_with("warning:"),
            "an error, not a warning; {self:#?}"
        );
        message
    }

    /// Asserts a usage error found by the flag parser (clap): exit status 2,
    /// nothing on standard output, and one line on standard error, `topica:
    /// ...` like every other error. Returns that line.
    #[track_caller]
    pub fn clap_error(&self) -> &str {
        assert_eq!(self.code, Some(2), "exit status; {self:#?}");
        assert_eq!(self.stdout, "", "nothing on stdout; {self:#?}");
        assert_eq!(self.stderr.lines().count(), 1, "one line; {self:#?}");
        let first = self.stderr.lines().next().unwrap_or("");
        assert!(first.starts_with("topica: "), "one topica line; {self:#?}");
        first
    }

    /// Asserts success, and returns `self`.
    #[track_caller]
    pub fn ok(&self) -> &Self {
        assert_eq!(self.code, Some(0), "exit status; {self:#?}");
        self
    }

    /// Asserts success with nothing on standard error, and parses the
    /// summary printed on standard output.
    #[track_caller]
    pub fn summary(&self) -> Summary {
        self.ok();
        assert_eq!(self.stderr, "", "no warnings; {self:#?}");
        self.summary_with_warnings()
    }

    /// Asserts success and parses the summary, whatever standard error holds.
    #[track_caller]
    pub fn summary_with_warnings(&self) -> Summary {
        self.ok();
        Summary::parse(&self.stdout)
    }

    /// Asserts success after writing files: nothing on standard output and
    /// exactly one line on standard error, `topica: N documents x M terms
    /// (K non-zeros) in S s` (or `hashed columns`). Returns (N, M, K).
    #[track_caller]
    pub fn wrote(&self) -> (usize, usize, usize) {
        self.ok();
        assert_eq!(self.stdout, "", "nothing on stdout; {self:#?}");
        let lines = self.stderr_lines();
        assert_eq!(lines.len(), 1, "one line on stderr; {self:#?}");
        let words: Vec<&str> = lines[0].split_whitespace().collect();
        let n = |i: usize, what: &str| -> usize {
            words
                .get(i)
                .and_then(|w| w.trim_start_matches('(').parse().ok())
                .unwrap_or_else(|| panic!("{what} in {:?}", lines[0]))
        };
        assert_eq!(words[0], "topica:", "{self:#?}");
        assert_eq!(words[2], "documents", "{self:#?}");
        (
            n(1, "documents"),
            n(4, "columns"),
            n(words.len() - 5, "nnz"),
        )
    }
}

/// The summary `topica vectorize` prints when it writes no file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub documents: usize,
    /// `terms` or `columns` (hashing).
    pub columns_label: String,
    pub columns: usize,
    pub non_zeros: usize,
}

impl Summary {
    /// Parses the four summary lines: documents, terms (or columns),
    /// non-zeros, seconds.
    #[track_caller]
    pub fn parse(stdout: &str) -> Summary {
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), 4, "four summary lines: {stdout:?}");
        let field = |i: usize, keys: &[&str]| -> (String, &str) {
            let mut words = lines[i].split_whitespace();
            let key = words.next().unwrap_or("");
            assert!(keys.contains(&key), "line {i} is {key:?}: {stdout:?}");
            (key.to_string(), words.next().unwrap_or(""))
        };
        let number = |s: &str| -> usize {
            s.parse()
                .unwrap_or_else(|_| panic!("{s:?} in summary {stdout:?}"))
        };
        let (_, documents) = field(0, &["documents"]);
        let (columns_label, columns) = field(1, &["terms", "columns"]);
        let (_, non_zeros) = field(2, &["non-zeros"]);
        let (_, seconds) = field(3, &["seconds"]);
        assert!(
            seconds.parse::<f64>().is_ok_and(|s| s >= 0.0),
            "seconds in {stdout:?}"
        );
        Summary {
            documents: number(documents),
            columns: number(columns),
            columns_label,
            non_zeros: number(non_zeros),
        }
    }

    /// (documents, columns, non-zeros).
    pub fn counts(&self) -> (usize, usize, usize) {
        (self.documents, self.columns, self.non_zeros)
    }
}

/// A matrix entry: 0-based row and column, and value.
pub type Entry = (usize, usize, f64);

/// A Matrix Market coordinate file as `topica vectorize -o` writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Mtx {
    pub rows: usize,
    pub cols: usize,
    /// 0-based (row, column) and the value as written.
    pub entries: Vec<(usize, usize, String)>,
}

impl Mtx {
    /// Reads and checks the file: the header line, `%` comments, the size
    /// line, then exactly nnz entries with 1-based indices in range, in
    /// row-major order with increasing columns within a row.
    #[track_caller]
    pub fn read(path: &Path) -> Mtx {
        let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("%%MatrixMarket matrix coordinate real general"),
            "{}: header",
            path.display()
        );
        let mut lines = lines.skip_while(|l| l.starts_with('%'));
        let size: Vec<usize> = lines
            .next()
            .expect("a size line")
            .split(' ')
            .map(|w| w.parse().expect("sizes are integers"))
            .collect();
        assert_eq!(size.len(), 3, "size line: rows cols nnz");
        let (rows, cols, nnz) = (size[0], size[1], size[2]);
        let mut entries = Vec::with_capacity(nnz);
        for line in lines {
            let words: Vec<&str> = line.split(' ').collect();
            assert_eq!(words.len(), 3, "entry line {line:?}");
            let i: usize = words[0].parse().expect("row index");
            let j: usize = words[1].parse().expect("column index");
            assert!(
                (1..=rows).contains(&i) && (1..=cols).contains(&j),
                "1-based indices in range: {line:?} in a {rows} x {cols} matrix"
            );
            if let Some(&(pi, pj, _)) = entries.last() {
                assert!(
                    (pi, pj) < (i - 1, j - 1),
                    "entries in row-major order, columns increasing: {line:?}"
                );
            }
            entries.push((i - 1, j - 1, words[2].to_string()));
        }
        assert_eq!(
            entries.len(),
            nnz,
            "{}: entries against size line",
            path.display()
        );
        Mtx {
            rows,
            cols,
            entries,
        }
    }

    /// The entries with their values as f64.
    pub fn values(&self) -> Vec<Entry> {
        self.entries
            .iter()
            .map(|(i, j, v)| (*i, *j, v.parse::<f64>().expect("a real value")))
            .collect()
    }

    /// (rows, cols, nnz).
    pub fn shape(&self) -> (usize, usize, usize) {
        (self.rows, self.cols, self.entries.len())
    }

    /// The sum of squared values of each row.
    pub fn row_square_sums(&self) -> Vec<f64> {
        let mut sums = vec![0.0; self.rows];
        for (i, _, v) in self.values() {
            sums[i] += v * v;
        }
        sums
    }
}

/// The lines of a file written by `--vocabulary-out`.
#[track_caller]
pub fn read_lines(path: &Path) -> Vec<String> {
    fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(str::to_string)
        .collect()
}

/// Writes `bytes` to `dir/name` (creating directories) and returns the path.
pub fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, bytes).unwrap();
    path
}

/// Gzips `bytes`.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// A file's content, shown in failures by its size and first bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Content(pub Vec<u8>);

impl std::fmt::Debug for Content {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let head = String::from_utf8_lossy(&self.0[..self.0.len().min(48)]);
        write!(f, "{} bytes: {head:?}", self.0.len())
    }
}

/// Every file and directory under `dir` (relative paths, sorted; a
/// directory ends with `/` and has no content), with its content.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Content> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Content>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let relative = path.strip_prefix(root).unwrap();
            if path.is_dir() {
                out.insert(relative.join(""), Content(Vec::new()));
                walk(root, &path, out);
            } else {
                out.insert(relative.to_path_buf(), Content(fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The non-empty lines of the news articles, in file order.
pub fn news_lines() -> Vec<String> {
    let mut files: Vec<PathBuf> = fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(NEWS))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|f| {
            fs::read_to_string(f)
                .unwrap()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// `n` paragraphs of 2 to 5 news lines each, picked by a fixed linear
/// congruential generator: the same paragraphs on every run.
pub fn generated_paragraphs(n: usize) -> Vec<String> {
    let lines = news_lines();
    let mut state: u64 = 12345;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    (0..n)
        .map(|_| {
            let k = 2 + next() % 4;
            (0..k)
                .map(|_| lines[next() % lines.len()].as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The parsed fixture `tests/fixtures/sklearn/{name}.json`, written by
/// scikit-learn itself (see `tests/sklearn_reference.py`).
pub fn sklearn_fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sklearn")
        .join(format!("{name}.json"));
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A fixture's matrix as (shape, 0-based entries in row-major order).
pub fn fixture_entries(f: &Value) -> ((usize, usize), Vec<Entry>) {
    let usizes = |v: &Value| -> Vec<usize> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as usize)
            .collect()
    };
    let shape = usizes(&f["shape"]);
    let indptr = usizes(&f["indptr"]);
    let indices = usizes(&f["indices"]);
    let data: Vec<f64> = f["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    let mut entries = Vec::with_capacity(data.len());
    for row in 0..shape[0] {
        let mut cells: Vec<(usize, f64)> = (indptr[row]..indptr[row + 1])
            .map(|k| (indices[k], data[k]))
            .collect();
        cells.sort_by_key(|&(j, _)| j);
        entries.extend(cells.into_iter().map(|(j, v)| (row, j, v)));
    }
    ((shape[0], shape[1]), entries)
}
