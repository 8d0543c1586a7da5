//! One behaviour per file, named after it; each file's doc says what it reads and writes.

pub mod climate;
pub mod courts;
pub mod demography;
pub mod deployment;
pub mod displacement;
pub mod economy;
pub mod expected_victims;
pub mod historic_arrests;
pub mod histories;
pub mod immigration;
pub mod interventions;
pub mod metrics;
pub mod newcomers;
pub mod offending;
pub mod policing;
pub mod pool_changes;
pub mod prisons;
pub mod reintegration;
pub mod reporting;
pub mod sentencing;
pub mod survey;
pub mod victimisation;
