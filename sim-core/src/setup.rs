//! Start of a run with the justice module: initial employment, the alignment of year one
//! ([`crate::alignment::solve`]), and the calibration applied to the world: police, courts,
//! prisons, delayed arrests, the victim pool and the labour-market rates.

use bevy_ecs::prelude::*;

use crate::alignment::{Calibration, solve};
use crate::census::Census;
use crate::crime_tables::CrimeTables;
use crate::initial_stocks::Table;
use crate::justice::{Courts, DelayedArrests, Policing, Prisons, ReleaseCohorts};
use crate::params::ModelParams;
use crate::person::MonthNo;
use crate::persons::Persons;
use crate::pool::VictimPool;
use crate::region::RegionConditions;
use crate::systems::economy::{LabourRates, LabourRatesRes, initial_employment};
use crate::tables::DemographyTables;

/// Everything the justice module needs at the start, inserted into the world.
pub(crate) fn setup_justice(p: &ModelParams, world: &mut World) {
    let census = world.resource::<Census>().clone();
    let demography = world.resource::<DemographyTables>().clone();
    let mut persons = world.resource_mut::<Persons>();
    if persons.is_empty() {
        return;
    }
    let mut tbl = Table::of(&mut persons);
    initial_employment(p, tbl.demo, tbl.socio);
    let calibration = solve(p, &census, &demography, &mut tbl);
    let pool = VictimPool::rebuild(tbl.demo, p.scenario.months());
    apply(p, calibration, pool, world);
}

/// Puts a calibration into the world.
fn apply(p: &ModelParams, c: Calibration, pool: VictimPool, world: &mut World) {
    let Calibration {
        tables,
        stocks,
        total_beds,
        occupancy,
        natural_mortality_scale,
        other_death_probability,
    } = c;
    let flows = &tables.expected;
    let regions = p.regions.len();
    let capacity = flows.police_capacity[..regions].to_vec();
    let drug = crate::offence::OffenceType::Drug.index();
    let mut policing = Policing {
        detection: crate::systems::deployment::detection(p, &capacity),
        capacity: capacity.clone(),
        base_capacity: capacity,
        baseline_arrest_rate: flows.arrest_rate[..regions].to_vec(),
        window_offences: vec![[0.0; 12]; regions],
        window_cleared: vec![[0.0; 12]; regions],
        window_drug: vec![[0.0; 12]; regions],
        window_drug_recorded: vec![[0.0; 12]; regions],
        deterrence: vec![1.0; regions],
    };
    for r in 0..regions {
        policing.window_offences[r] = [flows.offences_by_region[r]; 12];
        policing.window_cleared[r] = [flows.offences_by_region[r] * flows.arrest_rate[r]; 12];
        let drug_offences = flows.offences_per_year[drug] / 12.0 * flows.region_share[drug][r];
        policing.window_drug[r] = [drug_offences; 12];
        let report = tables.report[drug];
        let recorded =
            report + (1.0 - report) * p.crime.types[drug].proactive * policing.detection[r];
        policing.window_drug_recorded[r] = [drug_offences * recorded; 12];
    }
    let mut courts = Courts {
        queues: vec![Vec::new(); regions],
        capacity: flows.court_capacity[..regions].to_vec(),
        capacity_lost: vec![0.0; regions],
        credit: vec![0.0; regions],
    };
    for (region, case) in stocks.cases {
        courts.queues[region as usize].push(case);
    }
    let weights: Vec<f64> = p
        .regions
        .iter()
        .map(|r| r.population_share * r.prison_bed_weight)
        .collect();
    let wsum: f64 = weights.iter().sum::<f64>().max(1e-12);
    let prisons = Prisons {
        roster: stocks.roster,
        beds: weights.iter().map(|w| total_beds * w / wsum).collect(),
        beds_lost: vec![0.0; regions],
        beds_multiplier: 1.0,
        natural_mortality_scale,
        other_death_probability,
    };
    let months = p.scenario.months() as MonthNo;
    *world.resource_mut::<VictimPool>() = pool;
    *world.resource_mut::<Policing>() = policing;
    *world.resource_mut::<Courts>() = courts;
    *world.resource_mut::<Prisons>() = prisons;
    *world.resource_mut::<DelayedArrests>() = DelayedArrests::from_arrests(stocks.delayed);
    *world.resource_mut::<ReleaseCohorts>() = ReleaseCohorts::new(0, months);
    *world.resource_mut::<RegionConditions>() = RegionConditions::calm(occupancy);
    *world.resource_mut::<LabourRatesRes>() = LabourRatesRes(LabourRates::new(p));
    *world.resource_mut::<CrimeTables>() = tables;
}
