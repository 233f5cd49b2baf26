//! End-to-end tests: the real binary through assert_cmd, and `engage::run` in process with a
//! scripted prompter. Every test has its own temporary database and a pinned day.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

mod checkin;
mod close;
mod config;
mod database;
mod errors;
mod prompts;
mod readme;
mod report;
mod request;
mod running;
mod select;
