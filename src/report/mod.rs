//! Reports: what topica writes for people and other tools, and how it writes
//! files (whole or not at all).

mod atomic;

pub use self::atomic::{Staging, write_atomically};
