//! The monthly order of docs/model.md section 3, declared once: one system set per stage, chained.
//!
//! **Architecture Invariant:** a stage only reads what earlier stages of the same month (or
//! earlier months) wrote; the order below is the model's causal order and is checked by
//! building the schedule with ambiguity detection set to error.

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings};

use crate::calendar::after_start;
use crate::params::ModelParams;
use crate::systems::{
    climate, courts, demography, deployment, displacement, expected_victims, historic_arrests,
    histories, immigration, interventions, metrics, newcomers, offending, policing, pool_changes,
    prisons, reintegration, reporting, sentencing, survey, victimisation,
};

/// The 14 monthly stages, in order.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Hazard events and temperature anomalies (and the victim pool goes out to the applier
    /// of the month's changes to it, until victimisation).
    Climate,
    /// Displacement, returns, damage to and repair of justice infrastructure.
    Displacement,
    /// Ageing, deaths, births, migration.
    Demography,
    /// Employment transitions and livelihood loss (the victim pool's last changes from the
    /// stages before are sent, and applied beside this stage and the next two).
    Economy,
    /// Policies switched on or off; enrolment.
    Interventions,
    /// Offences by free persons.
    Offending,
    /// A victim for each offence.
    Victimisation,
    /// Victims report or not.
    Reporting,
    /// Clearance within police capacity; suspects.
    Policing,
    /// Charging, pre-trial detention, court dispositions, verdicts.
    Courts,
    /// Custodial or community sentences and their lengths.
    Sentencing,
    /// Occupancy, transfers, in-custody deaths, releases.
    Prisons,
    /// Post-release hazards and programme effects.
    Reintegration,
    /// Aggregation into monthly rows; no behaviour.
    Metrics,
}

impl Stage {
    /// All stages in their monthly order.
    pub const ORDER: [Stage; 14] = [
        Stage::Climate,
        Stage::Displacement,
        Stage::Demography,
        Stage::Economy,
        Stage::Interventions,
        Stage::Offending,
        Stage::Victimisation,
        Stage::Reporting,
        Stage::Policing,
        Stage::Courts,
        Stage::Sentencing,
        Stage::Prisons,
        Stage::Reintegration,
        Stage::Metrics,
    ];
}

/// Builds the monthly schedule for the modules switched on in `params`.
pub fn monthly_schedule(params: &ModelParams) -> Schedule {
    let mut schedule = Schedule::default();
    schedule.set_build_settings(ScheduleBuildSettings {
        ambiguity_detection: LogLevel::Error,
        ..Default::default()
    });
    let o = Stage::ORDER;
    schedule.configure_sets(
        (
            o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7], o[8], o[9], o[10], o[11], o[12], o[13],
        )
            .chain(),
    );
    if params.modules.demography {
        schedule.add_systems(
            (
                demography::mortality_births_emigration,
                immigration::arrive_immigrants,
                newcomers::settle_newcomers,
            )
                .chain()
                .in_set(Stage::Demography)
                .run_if(after_start),
        );
    }
    if params.modules.climate {
        schedule.add_systems((
            climate::draw_climate
                .in_set(Stage::Climate)
                .run_if(after_start),
            displacement::displace_people
                .in_set(Stage::Displacement)
                .run_if(after_start),
        ));
    }
    if params.modules.justice {
        let with_interventions = params.modules.interventions;
        schedule.add_systems((
            pool_changes::start_pool_changes.in_set(Stage::Climate),
            pool_changes::hurry_pool_changes.in_set(Stage::Economy),
            (
                interventions::reset_policy_effects,
                interventions::apply_interventions
                    .run_if(move || with_interventions)
                    .run_if(after_start),
                interventions::apply_policy_timeline,
                deployment::deploy_police,
            )
                .chain()
                .in_set(Stage::Interventions),
            (offending::build_hazard_table, offending::commit_offences)
                .chain()
                .in_set(Stage::Offending),
            (
                pool_changes::finish_pool_changes,
                victimisation::weigh_victim_cells,
                expected_victims::expect_victims,
                victimisation::choose_victims,
            )
                .chain()
                .in_set(Stage::Victimisation),
            reporting::report_offences.in_set(Stage::Reporting),
            (
                policing::clear_offences,
                historic_arrests::arrest_historic_offenders,
            )
                .chain()
                .in_set(Stage::Policing),
            (courts::charge_suspects, courts::dispose_cases)
                .chain()
                .in_set(Stage::Courts),
            sentencing::sentence_convicted.in_set(Stage::Sentencing),
            prisons::run_prisons.in_set(Stage::Prisons),
            reintegration::end_supervision.in_set(Stage::Reintegration),
            (
                histories::collect_histories,
                expected_victims::collect_expected_victims,
            )
                .chain()
                .in_set(Stage::Metrics)
                .before(metrics::record_month),
        ));
        if params.modules.survey {
            schedule.add_systems(
                survey::interview_sample
                    .in_set(Stage::Metrics)
                    .after(metrics::record_month)
                    .run_if(survey::survey_month),
            );
        }
    }
    schedule.add_systems(metrics::record_month.in_set(Stage::Metrics));
    schedule
}
