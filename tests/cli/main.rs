//! End-to-end tests: the real binary through assert_cmd, and `engage::run` in process with a
//! scripted prompter. Every test has its own temporary database and a pinned day.

// Rows read back from the database are compared as tuples; naming each tuple type would only hide
// which columns a test checks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::type_complexity)]

mod smtp_sink;
mod support;

mod checkin;
mod close;
mod config;
mod cron;
mod csv_reader;
mod database;
mod errors;
mod faults;
mod files;
mod finding;
mod french;
mod fuzz;
mod help;
mod identity;
mod import;
mod last_day;
mod meanwhile;
mod message;
mod money;
mod owner;
mod privacy;
mod prompts;
mod readme;
mod recruit;
mod report;
mod report_pages;
mod request;
mod running;
mod select;
mod sentences;
mod server;
mod shapes;
mod status;
mod storage;
mod streams;
mod tables;
mod values;
