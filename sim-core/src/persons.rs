//! The person table: every person's components, vital clocks and offending-pass records as
//! eight parallel columns, one row per person slot (living, in custody or vacant).
//!
//! **Architecture Invariant:** the eight columns have the same length between stages (the one
//! exception: from the Reporting stage to the Metrics stage the experience column is lent to the
//! background task writing the victims' histories, `systems::histories`, and is empty here;
//! no stage in between reads it), and a row index
//! names the same slot for the whole run: rows are appended ([`Persons::push`]) but never
//! removed or reordered; a vacant row is reused by the next newcomer with a fresh
//! [`PersonId`](crate::person::PersonId). Systems take the columns they need as slices and split
//! them into chunks of rows (see [`crate::par`]).
//!
//! Why one resource and not one bevy entity per person: with bevy_ecs 0.20 an entity costs
//! about 64 bytes of bookkeeping (its metadata, which bevy resizes to a power-of-two capacity
//! and writes in full, and the entity lists of its table and archetype) plus 8 bytes of change
//! ticks per component, so 96 bytes on top of a person's 52 bytes of data (measured at 1e7
//! entities: 148 bytes each with these four components). No system uses entity ids, change
//! detection or archetypes for persons: ids are [`PersonId`](crate::person::PersonId)s, and
//! states are enum fields. The systems, the schedule and every other piece of state stay in
//! the bevy world.

use bevy_ecs::prelude::Resource;

use crate::huge_pages::{huge_page_slack, reserve_advised};
use crate::par::{ByBlock, Jobs, block_rows};
use crate::person::MonthNo;
use crate::person::{Demographics, Experience, Justice, PersonBundle, Socioeconomic};
use crate::tempo::{self, Tempo};
use crate::vital::VitalMonths;

/// The person table (see the module documentation).
#[derive(Resource, Clone, Debug, Default, PartialEq)]
pub struct Persons {
    /// Who and where each person is; read by nearly every system.
    pub(crate) demo: Vec<Demographics>,
    /// Propensity and labour-market status.
    pub(crate) socio: Vec<Socioeconomic>,
    /// Justice state and history.
    pub(crate) justice: Vec<Justice>,
    /// Displacement and victimisation history.
    pub(crate) experience: Vec<Experience>,
    /// The months of each person's next death, emigration and birth: read only by the
    /// demography stage, which scans them every month, so they are a column of their own
    /// rather than part of [`Demographics`] (which nearly every pass streams).
    pub(crate) vital: Vec<VitalMonths>,
    /// The earliest of each person's vital clocks ([`VitalMonths::next`], kept equal to it
    /// wherever the clocks are written): the only column the demography stage reads for the
    /// persons it passes over, 64 at a time ([`tempo::due_mask`]). Reading the three clocks of
    /// everyone took 1.5-1.7 ms a month at a million agents on one thread, for a few thousand
    /// persons due.
    pub(crate) vital_due: Vec<MonthNo>,
    /// The month the offending pass next visits each person: a column of its own, the only
    /// one the pass reads for people it passes over (see [`crate::tempo`]).
    pub(crate) visit: Vec<MonthNo>,
    /// What each person last added to the offending pass's running sums, and their clocks.
    pub(crate) tempo: Vec<Tempo>,
}

impl Persons {
    /// A table of the given persons, in row order.
    pub fn from_rows(rows: impl IntoIterator<Item = PersonBundle>) -> Self {
        let mut table = Persons::default();
        table.extend(rows);
        table
    }

    /// A table of `n` persons, row `i` being `person(i)`, drawn in parallel (rayon's unzip of
    /// an indexed range keeps the rows' order: the same table on any number of threads).
    ///
    /// Each column first gets room advised for huge pages (see [`crate::huge_pages`]), before
    /// anything is written to it, and half as many rows again: the default scenario's table
    /// grows by about 12% in 26 years, and a column that outgrows its room is moved. Room that
    /// is never written costs address space, not memory.
    pub(crate) fn from_fn(n: u32, person: impl Fn(u32) -> PersonBundle + Sync) -> Self {
        use rayon::prelude::*;
        let rows = n as usize;
        let mut table = Persons::default();
        table.reserve(rows + rows / 2);
        let mut drawn = (
            std::mem::take(&mut table.demo),
            (
                std::mem::take(&mut table.socio),
                (
                    std::mem::take(&mut table.justice),
                    std::mem::take(&mut table.experience),
                ),
            ),
        );
        drawn.par_extend((0..n).into_par_iter().map(|i| {
            let (d, s, j, e) = person(i);
            (d, (s, (j, e)))
        }));
        (table.demo, (table.socio, (table.justice, table.experience))) = drawn;
        // Written in parallel too: the first touch of each huge page clears it, 2 MiB at a time.
        table
            .vital
            .par_extend(rayon::iter::repeat_n(VitalMonths::UNDRAWN, rows));
        table
            .vital_due
            .par_extend(rayon::iter::repeat_n(VitalMonths::UNDRAWN.next(), rows));
        table
            .visit
            .par_extend(rayon::iter::repeat_n(tempo::NOW, rows));
        table
            .tempo
            .par_extend(rayon::iter::repeat_n(Tempo::NONE, rows));
        table
    }

    /// Makes room for `additional` more rows in every column, in room advised for huge pages
    /// (see [`crate::huge_pages`]).
    fn reserve(&mut self, additional: usize) {
        reserve_advised(&mut self.demo, additional);
        reserve_advised(&mut self.socio, additional);
        reserve_advised(&mut self.justice, additional);
        reserve_advised(&mut self.experience, additional);
        reserve_advised(&mut self.vital, additional);
        reserve_advised(&mut self.vital_due, additional);
        reserve_advised(&mut self.visit, additional);
        reserve_advised(&mut self.tempo, additional);
    }

    /// Bytes of memory the columns hold beyond their rows because of their huge pages (see
    /// [`crate::huge_pages`]): at most 2 MiB a column, whatever the table's size, which
    /// a prediction of memory from small pilots takes out.
    pub fn huge_page_slack(&self) -> usize {
        huge_page_slack(&self.demo)
            + huge_page_slack(&self.socio)
            + huge_page_slack(&self.justice)
            + huge_page_slack(&self.experience)
            + huge_page_slack(&self.vital)
            + huge_page_slack(&self.vital_due)
            + huge_page_slack(&self.visit)
            + huge_page_slack(&self.tempo)
    }

    /// Number of rows, living or vacant.
    pub fn len(&self) -> usize {
        self.demo.len()
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.demo.is_empty()
    }

    /// Appends a person as a new row; returns the row.
    pub(crate) fn push(&mut self, (d, s, j, e): PersonBundle) -> u32 {
        let row = self.demo.len() as u32;
        self.reserve(1);
        self.demo.push(d);
        self.socio.push(s);
        self.justice.push(j);
        self.experience.push(e);
        self.vital.push(VitalMonths::UNDRAWN);
        self.vital_due.push(VitalMonths::UNDRAWN.next());
        self.visit.push(tempo::NOW);
        self.tempo.push(Tempo::NONE);
        row
    }

    /// Appends persons as new rows, making room for them first when the count is known.
    pub(crate) fn extend(&mut self, rows: impl IntoIterator<Item = PersonBundle>) {
        let rows = rows.into_iter();
        let (at_least, at_most) = rows.size_hint();
        if at_most == Some(at_least) {
            self.reserve(at_least);
        }
        for row in rows {
            self.push(row);
        }
    }

    /// Writes `people[i]` into the existing row `rows[i]` for every `i` (newcomers taking
    /// vacant rows; the rows are distinct), one after another, by
    /// blocks of the table in parallel: at one agent per person a month has about 100,000
    /// newcomers, each writing seven columns at a random row, which one after another on the
    /// calling thread were a wait for memory each.
    pub(crate) fn set_rows(&mut self, rows: &[u32], people: &[PersonBundle]) {
        use rayon::prelude::*;
        debug_assert_eq!(rows.len(), people.len());
        if rows.is_empty() {
            return;
        }
        let per_block = block_rows(self.len(), rows.len());
        let by_block = ByBlock::new(rows.iter().copied(), self.len(), per_block);
        let Persons {
            demo,
            socio,
            justice,
            experience,
            vital,
            vital_due,
            visit,
            ..
        } = self;
        demo.par_chunks_mut(per_block)
            .zip(socio.par_chunks_mut(per_block))
            .zip(justice.par_chunks_mut(per_block))
            .zip(experience.par_chunks_mut(per_block))
            .zip(vital.par_chunks_mut(per_block))
            .zip(vital_due.par_chunks_mut(per_block))
            .zip(visit.par_chunks_mut(per_block))
            .enumerate()
            .job_per_chunk()
            .for_each(|(b, columns)| {
                let ((((((demo, socio), justice), experience), vital), vital_due), visit) = columns;
                let first = b * per_block;
                for &i in by_block.block(b) {
                    let r = rows[i as usize] as usize - first;
                    let (d, s, j, e) = people[i as usize];
                    demo[r] = d;
                    socio[r] = s;
                    justice[r] = j;
                    experience[r] = e;
                    vital[r] = VitalMonths::UNDRAWN;
                    vital_due[r] = VitalMonths::UNDRAWN.next();
                    // The previous occupant's share of the running sums stays
                    // in `tempo` until the visit takes it out.
                    visit[r] = tempo::NOW;
                }
            });
    }

    /// A copy of one row.
    pub fn row(&self, row: usize) -> PersonBundle {
        (
            self.demo[row],
            self.socio[row],
            self.justice[row],
            self.experience[row],
        )
    }

    /// Every row as copies, in row order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = PersonBundle> + '_ {
        (0..self.len()).map(|r| self.row(r))
    }

    /// The demographics column.
    pub fn demographics(&self) -> &[Demographics] {
        &self.demo
    }

    /// The socioeconomic column.
    pub fn socioeconomic(&self) -> &[Socioeconomic] {
        &self.socio
    }

    /// The justice column.
    pub fn justice(&self) -> &[Justice] {
        &self.justice
    }

    /// The experience column.
    pub fn experience(&self) -> &[Experience] {
        &self.experience
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::{PersonId, Sex, Slot, person_bundle};

    fn person(id: u32) -> PersonBundle {
        person_bundle(
            Demographics {
                id: PersonId(id),
                birth_month: -120,
                sex: Sex::Female,
                region: 0,
                slot: Slot::Alive,
                displaced: false,
            },
            Socioeconomic {
                propensity: 1.0,
                employment: crate::person::Employment::Child,
                urban: false,
            },
        )
    }

    #[test]
    fn a_table_built_from_a_known_count_holds_no_spare_rows() {
        // Memory at 1:1 is the table: a table built from an exact-size iterator must not round
        // its columns up (a doubling Vec would hold up to twice the rows).
        let t = Persons::from_rows((0..1000).map(person));
        assert_eq!(t.demo.capacity(), 1000);
        assert_eq!(t.socio.capacity(), 1000);
        assert_eq!(t.justice.capacity(), 1000);
        assert_eq!(t.experience.capacity(), 1000);
    }

    #[test]
    fn rows_set_in_parallel_are_those_named_and_no_others() {
        // Newcomers take scattered rows over many blocks of the table, in no row order.
        let n = 50_000u32;
        let mut t = Persons::from_rows((0..n).map(person));
        let drawn = VitalMonths {
            death: 7,
            emigration: 8,
            birth: 9,
        };
        t.vital.fill(drawn);
        t.vital_due.fill(drawn.next());
        t.visit.fill(40);
        let rows: Vec<u32> = (0..n).rev().step_by(7).collect();
        let people: Vec<PersonBundle> = rows.iter().map(|r| person(n + r)).collect();
        t.set_rows(&rows, &people);
        for r in 0..n as usize {
            let newcomer = (n as usize - 1 - r).is_multiple_of(7);
            let id = if newcomer { n + r as u32 } else { r as u32 };
            assert_eq!(t.row(r), person(id), "row {r}");
            let (vital, due, visit) = if newcomer {
                (
                    VitalMonths::UNDRAWN,
                    VitalMonths::UNDRAWN.next(),
                    tempo::NOW,
                )
            } else {
                (drawn, drawn.next(), 40)
            };
            assert_eq!(
                (t.vital[r], t.vital_due[r], t.visit[r]),
                (vital, due, visit)
            );
        }
    }

    #[test]
    fn rows_stay_aligned_across_push_set_and_extend() {
        let mut t = Persons::from_rows([person(1), person(2)]);
        assert_eq!(t.push(person(3)), 2);
        t.set_rows(&[0], &[person(9)]);
        t.extend((10..12).map(person));
        assert_eq!(t.len(), 5);
        assert_eq!(t.socio.len(), 5);
        assert_eq!(t.justice.len(), 5);
        assert_eq!(t.experience.len(), 5);
        assert_eq!(t.vital.len(), 5);
        assert_eq!(t.vital_due.len(), 5);
        assert_eq!(t.visit.len(), 5);
        assert_eq!(t.tempo.len(), 5);
        let ids: Vec<u32> = t.rows().map(|(d, ..)| d.id.0).collect();
        assert_eq!(ids, [9, 2, 3, 10, 11]);
    }
}
