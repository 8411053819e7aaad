//! Fuzz target `read_csv`: the property checks are in `harness::read_csv`, shared with
//! the stable replay test `tests/fuzz_replay.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
#[allow(dead_code)]
mod harness;

fuzz_target!(|data: &[u8]| harness::read_csv(data));
