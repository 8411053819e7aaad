//! The `topica` command: parses flags, runs the library, prints. See
//! `src/cli/` for the subcommands and README.md for their use.

mod cli;

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

fn main() -> ExitCode {
    return_large_buffers_to_the_system();
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return flag_error(err),
    };
    match cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`topica ... | head`) is not a failure.
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("topica: {err:#}");
            let usage = err.chain().any(|e| {
                e.downcast_ref::<topica::Error>()
                    .is_some_and(topica::Error::is_usage)
            });
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}

/// Prints help and version as clap does; any other flag error as one line,
/// `topica: ...`, like every other error, with exit status 2.
fn flag_error(err: clap::Error) -> ExitCode {
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) || err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    {
        let _ = err.print();
        return ExitCode::from(
            if err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                2
            } else {
                0
            },
        );
    }
    let text = err.render().to_string();
    let mut lines = text.lines();
    let mut line = lines
        .next()
        .unwrap_or_default()
        .trim_start_matches("error: ")
        .to_string();
    // "the following required arguments were not provided:" lists them below.
    if line.ends_with(':') {
        let listed: Vec<&str> = lines
            .take_while(|l| !l.trim().is_empty())
            .map(str::trim)
            .collect();
        line = format!("{} {}", line, listed.join(", "));
    }
    if let Some(tip) = text.lines().find_map(|l| l.trim().strip_prefix("tip: ")) {
        line.push_str(&format!(" ({tip})"));
    }
    eprintln!("topica: {line}; see 'topica help'");
    ExitCode::from(2)
}

/// Makes glibc map (and unmap, when freed) every buffer of 1 MiB or more.
///
/// glibc's default threshold starts at 128 KiB and rises each time a mapped
/// buffer is freed, after which buffers of that size come from its heaps and
/// stay resident once freed. The vectorizer frees tens of megabytes of
/// counting tables before it builds the matrix; with the default they stayed
/// resident and `topica vectorize` peaked at 150 MB on 20 Newsgroups, with this
/// setting 127 MB, at the same speed (the `MALLOC_MMAP_THRESHOLD_`
/// environment variable, which glibc reads first, still overrides it).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_large_buffers_to_the_system() {
    const M_MMAP_THRESHOLD: std::ffi::c_int = -3;
    unsafe extern "C" {
        fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
    }
    if std::env::var_os("MALLOC_MMAP_THRESHOLD_").is_none() {
        // SAFETY: mallopt only changes an allocator setting; it is called
        // before any other thread exists.
        unsafe {
            mallopt(M_MMAP_THRESHOLD, 1 << 20);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_large_buffers_to_the_system() {}
