//! Running work through an SOP: the engine's rules and due times. Pure.

pub mod due;
pub mod engine;

pub use due::Calendar;
pub use engine::{Action, Allowed, Current, EngineError, Outcome, Progress};
