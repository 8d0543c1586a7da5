//! Applying the victim pool's changes from the month's first stages beside the stages that
//! follow (stages 4 to 6), and waiting for them before victimisation reads the pool (stage 7).
//!
//! Deaths, emigration, newcomers and displacement record their changes to the pool
//! ([`PoolChanges`]); employment, interventions and offending never read it, so the changes are
//! applied, in the order they were made, while those stages run their parallel passes.
//!
//! Reads and writes: `PoolChanges`, `VictimPool`.

use bevy_ecs::prelude::*;

use crate::pool::{PoolChanges, VictimPool};

/// Starts applying the recorded changes beside the next stages (the pool is empty until
/// [`finish_pool_changes`]).
pub fn start_pool_changes(mut changes: ResMut<PoolChanges>, mut pool: ResMut<VictimPool>) {
    changes.start(&mut pool);
}

/// Puts the pool back with every change applied, before anything reads it.
pub fn finish_pool_changes(mut changes: ResMut<PoolChanges>, mut pool: ResMut<VictimPool>) {
    changes.finish(&mut pool);
}
