//! Historic prosecutions (docs/model.md section 4.8, stage 9, after clearance): arrests for
//! offences committed years or decades before, at the rate the policy timeline sets
//! (`historic_arrests_per_100k`, `historic_lag_years` in `[[policy_changes]]`). In England and
//! Wales reports of non-recent sexual abuse rose after Operation Yewtree (2012) and brought many
//! men in their 50s to 70s to court; a constant prosecution delay cannot make such a wave.
//!
//! Each month the expected number of arrests per type is drawn (its whole part, and one more
//! with the probability of its fraction). For each, the time since the offence is exponential
//! with the mean lag, and the offender is a free person drawn by rejection with the offending
//! weights of the type at the age they had then (the year-one stocks are drawn the same way).
//! The case is marked historic: it is sentenced with the custody rate and sentence length the
//! timeline gives for such cases (serious sexual offences against children, most of them).
//!
//! Reads: `Params`, `Calendar`, `Census`, `CrimeTables`, `PolicyEffects`, the person
//! components. Writes: `Justice` (arrests), `Suspects`, `ReleaseCohorts`, `MonthTally`.
//! Stream: `Stream::HistoricArrests` (keyed by pick, shared by arms with the same rate).

use bevy_ecs::prelude::*;

use crate::Params;
use crate::calendar::Calendar;
use crate::census::Census;
use crate::crime_tables::CrimeTables;
use crate::initial_stocks::{Held, PersonsAt, pick_person};
use crate::interventions::PolicyEffects;
use crate::justice::{ReleaseCohorts, Suspect, Suspects};
use crate::metrics::MonthTally;
use crate::offence::{OFFENCE_TYPES, OffenceType};
use crate::persons::Persons;
use crate::rng::{MonthKey, Stream, to_unit};
use crate::systems::policing::arrest;

/// Picks per type and month: room for each type's draws in the pick numbers.
const PICKS_PER_TYPE: u32 = 1 << 20;

/// Arrests people for offences committed long ago, at the timeline's rate.
#[allow(clippy::too_many_arguments)]
pub fn arrest_historic_offenders(
    params: Res<Params>,
    calendar: Res<Calendar>,
    census: Res<Census>,
    tables: Res<CrimeTables>,
    effects: Res<PolicyEffects>,
    mut suspects: ResMut<Suspects>,
    mut cohorts: ResMut<ReleaseCohorts>,
    mut tally: ResMut<MonthTally>,
    mut persons: ResMut<Persons>,
) {
    if effects.historic_arrests.iter().all(|h| h.per_100k <= 0.0) {
        return;
    }
    if persons.is_empty() {
        return;
    }
    let Persons {
        demo,
        socio,
        justice,
        ..
    } = &mut *persons;
    let p = &params.0;
    let now = calendar.now();
    let key = MonthKey::new(p.scenario.seed, Stream::HistoricArrests, calendar.key());
    let alive = census.alive() as f64;
    for c in 0..OFFENCE_TYPES {
        let h = effects.historic_arrests[c];
        let (rate, lag_years) = (h.per_100k, h.lag_years);
        if rate <= 0.0 {
            continue;
        }
        let base = c as u32 * PICKS_PER_TYPE;
        let expected = rate / 1e5 * alive / 12.0;
        let extra = to_unit(key.bits(base, 0)) < expected.fract();
        let count = (expected.floor() as u32 + u32::from(extra)).min(PICKS_PER_TYPE - 1);
        for k in 1..=count {
            let pick = base + k;
            let u = to_unit(key.bits(pick, 0)).max(1e-12);
            let lag_months = (-u.ln() * lag_years * 12.0).round().min(1200.0) as i32;
            let view = PersonsAt {
                demo,
                socio,
                justice,
                now,
            };
            let Some(row) =
                pick_person(p, &tables, &view, key, pick, c, lag_months, Held::Suspected)
            else {
                continue;
            };
            let d = &demo[row as usize];
            let suspect = Suspect {
                row,
                id: d.id.0,
                kind: OffenceType::from_index(c),
                region: d.region,
                historic: true,
            };
            if arrest(suspect, now, demo, justice, &mut suspects, &mut cohorts) {
                tally.flows.delayed_arrests += 1;
            }
        }
    }
}
