//! Sentencing (docs/model.md section 4.10, stage 11): custodial or community sentence, log-normal
//! lengths by type times the severity multiplier and the policy timeline, credit for time on
//! remand; a share of life and indeterminate sentences is held beyond its minimum term until a
//! parole board releases it.
//!
//! Reads: `Params`, `Calendar`, `CrimeTables`, `Convicted`. Writes: `Prisons`, `Supervision`,
//! `ReleaseCohorts`, `Justice`, `Demographics.slot`, `Socioeconomic.employment` (time served),
//! `MonthTally`. Stream: `Stream::Sentencing`.

use bevy_ecs::prelude::*;

use crate::Params;
use crate::calendar::Calendar;
use crate::crime_tables::CrimeTables;
use crate::custody::{
    ByInmate, enter_custody, release_detainee, release_from_roster, release_prisoner, same_person,
};
use crate::interventions::PolicyEffects;
use crate::justice::{Convicted, Inmate, Prisons, ReleaseCohorts, Supervised, Supervision};
use crate::leniency;
use crate::metrics::MonthTally;
use crate::person::{JusticeState, MonthNo, NEVER, Slot};
use crate::persons::Persons;
use crate::pool::VictimPool;
use crate::prefetch::{READ_AHEAD, prefetch};
use crate::rng::{MonthKey, Stream, standard_normal, to_unit};

fn month_after(now: MonthNo, months: i32) -> MonthNo {
    (i32::from(now) + months).clamp(i32::from(MonthNo::MIN) + 1, i32::from(MonthNo::MAX)) as MonthNo
}

/// Sentences this month's convictions.
pub fn sentence_convicted(
    params: Res<Params>,
    effects: Res<PolicyEffects>,
    calendar: Res<Calendar>,
    tables: Res<CrimeTables>,
    convicted: Res<Convicted>,
    mut prisons: ResMut<Prisons>,
    mut supervision: ResMut<Supervision>,
    mut cohorts: ResMut<ReleaseCohorts>,
    mut pool: ResMut<VictimPool>,
    mut tally: ResMut<MonthTally>,
    mut persons: ResMut<Persons>,
) {
    if persons.is_empty() {
        return;
    }
    let Persons {
        demo,
        socio,
        justice,
        visit,
        ..
    } = &mut *persons;
    let p = &params.0;
    let j = &p.justice;
    let now = calendar.now();
    let key = MonthKey::new(p.scenario.seed, Stream::Sentencing, calendar.key());
    let retirement = p.economy.retirement_age as u32;
    let mut leaving_roster: Vec<(u32, u32)> = Vec::new();
    let mut conversions: Vec<((u32, u32), Inmate)> = Vec::new();
    for (k, v) in convicted.0.iter().enumerate() {
        // The rows of the verdict a few places on, asked of memory now: each lies at a random
        // place of the table, and read when reached each was a wait.
        if let Some(ahead) = convicted.0.get(k + READ_AHEAD) {
            let row = ahead.row as usize;
            prefetch(&demo[row]);
            prefetch(&justice[row]);
            prefetch(&visit[row]);
            pool.prefetch_position(ahead.row);
        }
        if !same_person(demo, v.row, v.id) {
            continue;
        }
        let r = v.row as usize;
        let c = v.kind.index();
        let was_detained = demo[r].slot == Slot::InCustody;
        // Reconviction of someone released from prison: counted once per release.
        let person = &mut justice[r];
        if person.last_release != NEVER && person.last_conviction < person.last_release {
            cohorts.reconvict(person.last_release, now, v.charged);
        }
        person.last_conviction = now;
        person.convictions = person.convictions.saturating_add(1);
        // A conviction can make the person eligible for a programme (family therapy, drug
        // diversion): the offending pass looks at them again.
        visit[r] = crate::tempo::NOW;
        if demo[r].age_years(now) < 25 {
            tally.flows.youth_convictions += 1;
        }
        let (sex, age) = (demo[r].sex.index(), demo[r].age_years(now));
        let historic = v.historic.then_some(effects.historic_arrests[c]);
        let custody = historic
            .and_then(|h| h.custody)
            .unwrap_or_else(|| tables.custody[c] * leniency::custody(j, sex, age));
        let custodial = to_unit(key.bits(v.id, 0)) < custody * effects.custody[c];
        if !custodial {
            tally.flows.community += 1;
            let until = month_after(now, j.community_sentence_months.round() as i32);
            if was_detained {
                release_detainee(
                    demo,
                    justice,
                    &mut pool,
                    v.row,
                    JusticeState::Community { until },
                );
                leaving_roster.push((v.row, v.id));
            } else {
                justice[r].state = JusticeState::Community { until };
            }
            supervision.0.push(Supervised {
                row: v.row,
                id: v.id,
                until,
            });
            continue;
        }
        tally.flows.custodial += 1;
        let t = &p.crime.types[c];
        let z = standard_normal(to_unit(key.bits(v.id, 1)), to_unit(key.bits(v.id, 2)));
        // Historic cases with their own sentence: the median of the period, as sentenced then.
        let spread = (t.sentence_log_sd * z).exp();
        let length = match historic.and_then(|h| h.sentence_months) {
            Some(median) => median * effects.length * leniency::length(j, sex) * spread,
            None => {
                t.sentence_median_months
                    * j.severity_multiplier
                    * effects.length
                    * effects.sentence_length[c]
                    * leniency::length(j, sex)
                    * spread
            }
        }
        .round()
        .clamp(1.0, 1200.0) as i32;
        // A life or indeterminate sentence: the length is the minimum term, served in full; a
        // parole board directs release some time after it (exponential, memoryless).
        let indeterminate = to_unit(key.bits(v.id, 3)) < effects.indeterminate_share[c];
        let to_serve = if indeterminate {
            let u = to_unit(key.bits(v.id, 4)).max(1e-12);
            let beyond = (-u.ln() / j.indeterminate_release_per_month).round();
            (length - v.remand_months).max(0) + beyond.min(1200.0) as i32
        } else {
            length - v.remand_months
        };
        if to_serve <= 0 {
            // Time already served on remand.
            if was_detained {
                release_prisoner(
                    demo,
                    socio,
                    justice,
                    &mut pool,
                    v.row,
                    JusticeState::Free,
                    now,
                    retirement,
                    &mut cohorts,
                );
                leaving_roster.push((v.row, v.id));
            } else {
                justice[r].state = JusticeState::Free;
            }
            continue;
        }
        tally.flows.admissions += 1;
        let until = month_after(now, to_serve);
        let eligible =
            (j.parole_eligibility_fraction * f64::from(length)).round() as i32 - v.remand_months;
        let parole_from = if !indeterminate && j.parole_grant_per_month > 0.0 && eligible < to_serve
        {
            month_after(now, eligible.max(0))
        } else {
            NEVER
        };
        let state = JusticeState::Imprisoned { until };
        let region = demo[r].region;
        let inmate = Inmate {
            row: v.row,
            id: v.id,
            kind: v.kind,
            home_region: region,
            prison_region: region,
            sentenced: true,
            since: now,
            until,
            parole_from,
        };
        if was_detained {
            justice[r].state = state;
            conversions.push(((v.row, v.id), inmate));
        } else {
            enter_custody(demo, justice, &mut pool, v.row, state);
            prisons.roster.push(inmate);
            tally.flows.custody_entries += 1;
        }
    }
    if !conversions.is_empty() {
        // Detainees stay where they are held; one pass over the roster updates them all.
        let conversions = ByInmate::new(&mut conversions, |(k, _)| *k);
        for i in prisons.roster.iter_mut() {
            if let Some(&(_, new)) = conversions.find(i.row, i.id) {
                i.sentenced = true;
                i.kind = new.kind;
                i.until = new.until;
                i.parole_from = new.parole_from;
            }
        }
    }
    release_from_roster(&mut prisons, &mut leaving_roster, now, &mut tally.flows);
}
