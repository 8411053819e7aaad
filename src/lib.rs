//! topica groups paragraphs of text into topics and measures how similar they are.
//!
//! STUB: crate docs are written with the first complete pipeline.

pub mod analyze;
pub mod corpus;
pub mod error;
pub mod report;
pub mod vectorize;

pub use crate::error::{Error, ParamError, Result};
