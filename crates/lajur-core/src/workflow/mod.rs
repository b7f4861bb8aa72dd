//! Running work through an SOP: the engine's rules, due times, the replay of a
//! kegiatan's events, and time compliance. Pure.

pub mod compliance;
pub mod due;
pub mod engine;
pub mod handover;
pub mod trace;

pub use compliance::{Compliance, KegiatanTimes, SopCompliance, late};
pub use due::Calendar;
pub use engine::{Action, Allowed, Current, EngineError, Outcome, Progress};
pub use handover::{Handover, handover};
pub use trace::{Trace, trace};
