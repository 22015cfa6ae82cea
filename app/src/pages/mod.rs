//! The window's screens, one per route. A page imports components, never another page.

pub mod circle;
pub mod contact;
pub mod coordinator;
pub mod first_contact;
pub mod home;
pub mod joining;
pub mod meeting;
pub mod preparation;
pub mod welcome;
