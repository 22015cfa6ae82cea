//! Pieces that several pages show. Pages import components, never other pages (tidy checks it).

mod circle_section;
mod goals;
mod note_editor;
mod plan_form;
mod reminders;
mod sync_indicator;
mod words;

pub use circle_section::CircleSection;
pub use goals::{AddGoal, GoalList};
pub use note_editor::{NoteEditor, saver};
pub use plan_form::PlanForm;
pub use reminders::ReminderOffer;
pub use sync_indicator::SyncIndicator;
pub use words::{Tr, TrF, local_date_time, local_time, role_key};
