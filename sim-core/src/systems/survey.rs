//! The crime victimisation survey (stage 14, after the month is recorded): each December a
//! sample of the household population 15+ is interviewed about the past 12 months
//! ([`crate::survey`]), and the year's estimates are kept beside the indicators.
//!
//! Reads: `Params`, `Calendar`, `RegionCount`, `Demographics`, `Experience`. Writes:
//! `Recorder.surveys`. Stream: `Stream::Survey`.

use bevy_ecs::prelude::*;

use crate::Params;
use crate::calendar::Calendar;
use crate::metrics::Recorder;
use crate::persons::Persons;
use crate::survey::{Fieldwork, conduct};
use crate::systems::metrics::RegionCount;

/// Run condition: December of a simulated year, with a survey asked for.
pub(crate) fn survey_month(params: Res<Params>, calendar: Res<Calendar>) -> bool {
    !calendar.in_burn_in() && calendar.month_of_year() == 12 && params.0.survey.issued_sample >= 1.0
}

/// Interviews the year's sample and records the estimates.
pub fn interview_sample(
    params: Res<Params>,
    calendar: Res<Calendar>,
    regions: Res<RegionCount>,
    mut recorder: ResMut<Recorder>,
    persons: Res<Persons>,
) {
    if persons.is_empty() {
        return;
    }
    let Persons {
        demo, experience, ..
    } = &*persons;
    let p = &params.0;
    let fieldwork = Fieldwork::at(&calendar, p.scenario.seed, 0);
    let year = conduct(demo, experience, regions.0, &p.survey, fieldwork);
    recorder.surveys.push(year);
}
