//! Applying the victim pool's changes from the month's first stages beside the month's other
//! work, and waiting for them before victimisation reads the pool (stage 7).
//!
//! Displacement, deaths, emigration and newcomers record their changes to the pool
//! ([`PoolChanges`]); nothing before victimisation reads it, so from the month's start the pool
//! is out with an applier, which takes the changes in batches as they are recorded and applies
//! them in the order they were made: first where the calling thread works alone, then (from
//! stage 4, once the last are recorded) through the parallel passes of employment, interventions
//! and offending.
//!
//! Reads and writes: `PoolChanges`, `VictimPool`.

use bevy_ecs::prelude::*;

use crate::pool::{PoolChanges, VictimPool};

/// Takes the pool out to the applier of the month's changes (the pool is empty until
/// [`finish_pool_changes`]).
pub fn start_pool_changes(mut changes: ResMut<PoolChanges>, mut pool: ResMut<VictimPool>) {
    changes.start(&mut pool);
}

/// Sends the last changes of the month's first stages; the applier now runs through.
pub fn hurry_pool_changes(mut changes: ResMut<PoolChanges>) {
    changes.hurry();
}

/// Puts the pool back with every change applied, before anything reads it.
pub fn finish_pool_changes(mut changes: ResMut<PoolChanges>, mut pool: ResMut<VictimPool>) {
    changes.finish(&mut pool);
}
