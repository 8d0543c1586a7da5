//! Huge pages for the person table's columns.
//!
//! Why: the monthly passes read the person table (about 90 bytes a person) at random as well
//! as in order: a victim's row, a defendant's row, a prisoner's row. With the usual 4 KiB pages
//! a 100 MB table spans 25,000 pages, far more than the processor's address-translation cache
//! holds, so many of those reads first walk the page tables. Backed by 2 MiB pages the same
//! table spans 50. Measured at a million agents, the step ran 5-8% faster, and at 50 million
//! agents the set-up, which writes the whole table, took 12-27% less time (one page fault per
//! huge page instead of 512; docs/performance.md). An allocator that used huge pages
//! everywhere gave the same gain but kept up to twice the memory.
//!
//! How: Linux backs a range with huge pages on first touch once it is advised so
//! (`MADV_HUGEPAGE`), under the system's common `madvise` setting as well as `always`. Advice
//! does not convert pages already touched, so a column is advised while its room is still
//! unwritten: when the table is made, and whenever a column moves into larger room.
//!
//! This module holds one of the two pieces of `unsafe` code the workspace writes (the other is
//! [`crate::prefetch`]): one call of `madvise`, a hint that neither reads, writes nor frees
//! memory.

/// The size of a huge page on x86-64 and on most 64-bit Arm systems.
const HUGE_PAGE: usize = 2 << 20;

/// The base page size `madvise` aligns to. On a system with larger base pages the call fails
/// harmlessly and the column keeps ordinary pages.
const PAGE: usize = 4 << 10;

/// Asks the system to back the column's room, written or not, with huge pages. Only whole
/// pages inside the column's own allocation are advised, so neighbouring allocations are left
/// alone; a column too small to hold a whole aligned huge page is not advised at all. A
/// refusal (an old kernel, huge pages switched off) leaves the column as it was: the advice
/// changes speed, never contents.
fn advise_huge_pages<T>(column: &mut Vec<T>) {
    let (first, end) = advised_range(column);
    if end > first {
        advise(first, end - first);
    }
}

/// The whole advised pages of a column's room: `[first, end)`, empty when it holds no whole
/// aligned huge page.
fn advised_range<T>(column: &Vec<T>) -> (usize, usize) {
    let start = column.as_ptr() as usize;
    let bytes = column.capacity() * std::mem::size_of::<T>();
    let first = start.next_multiple_of(PAGE);
    let end = (start + bytes) & !(PAGE - 1);
    if end >= first + 2 * HUGE_PAGE {
        (first, end)
    } else {
        (first, first)
    }
}

/// Bytes of memory the column holds beyond its rows because of its huge pages: the rest of
/// the huge page its last row ends in (a huge page is taken whole on first touch). An upper
/// bound where the system could not find a huge page for it.
pub(crate) fn huge_page_slack<T>(column: &Vec<T>) -> usize {
    let (first, end) = advised_range(column);
    let written_end = column.as_ptr() as usize + column.len() * std::mem::size_of::<T>();
    let page_start = written_end & !(HUGE_PAGE - 1);
    let page_end = page_start + HUGE_PAGE;
    if written_end == page_start || page_start < first || page_end > end {
        0
    } else {
        page_end - written_end
    }
}

/// Makes room for `additional` more rows in the column, at least doubling it as `Vec` would,
/// and moves the rows into new room that is advised before they are written to it: `Vec`'s
/// own reallocation would copy them into unadvised room, on ordinary pages for good.
pub(crate) fn reserve_advised<T: Copy>(column: &mut Vec<T>, additional: usize) {
    if column.capacity() - column.len() >= additional {
        return;
    }
    let room = (column.len() + additional).max(2 * column.capacity());
    let mut grown = Vec::with_capacity(room);
    advise_huge_pages(&mut grown);
    grown.extend_from_slice(column);
    *column = grown;
}

#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn advise(first: usize, len: usize) {
    // SAFETY: `[first, first + len)` is a whole number of pages inside one live allocation
    // that the caller holds mutably for the length of the call, so no other code frees or
    // remaps it meanwhile. MADV_HUGEPAGE only sets how the range is backed: it reads, writes
    // and frees nothing, and every byte keeps its value. The result is ignored on purpose
    // (see `advise_huge_pages`).
    unsafe {
        libc::madvise(first as *mut libc::c_void, len, libc::MADV_HUGEPAGE);
    }
}

#[cfg(not(target_os = "linux"))]
fn advise(_first: usize, _len: usize) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growing_keeps_every_row_in_order() {
        let mut column: Vec<u32> = Vec::new();
        for i in 0..100_000u32 {
            reserve_advised(&mut column, 1);
            column.push(i);
        }
        assert_eq!(column, (0..100_000).collect::<Vec<_>>());
        reserve_advised(&mut column, 1_000_000);
        assert!(column.capacity() >= 1_100_000);
        assert_eq!(column.len(), 100_000);
        assert_eq!(column[99_999], 99_999);
    }

    #[test]
    fn the_slack_is_the_rest_of_the_last_huge_page() {
        let mut column: Vec<u8> = Vec::new();
        reserve_advised(&mut column, 16 * HUGE_PAGE);
        assert_eq!(huge_page_slack(&column), 0, "nothing written");
        // Rows up to 1,000 bytes into the second aligned huge page of the room.
        let second = (column.as_ptr() as usize).next_multiple_of(HUGE_PAGE) + HUGE_PAGE;
        let rows = second + 1000 - column.as_ptr() as usize;
        column.resize(rows, 7);
        assert_eq!(huge_page_slack(&column), HUGE_PAGE - 1000);
        // A column too small to be advised has none.
        let small = vec![1u8; HUGE_PAGE / 2];
        assert_eq!(huge_page_slack(&small), 0);
    }

    /// The kernel's flags of the mapping that holds `address`, from /proc/self/smaps.
    #[cfg(target_os = "linux")]
    fn mapping_flags(address: usize) -> String {
        let smaps =
            std::fs::read_to_string("/proc/self/smaps").expect("Linux has /proc/self/smaps");
        let mut inside = false;
        for line in smaps.lines() {
            if let Some((range, _)) = line.split_once(' ')
                && let Some((start, end)) = range.split_once('-')
                && let (Ok(start), Ok(end)) = (
                    usize::from_str_radix(start, 16),
                    usize::from_str_radix(end, 16),
                )
            {
                inside = (start..end).contains(&address);
            } else if inside && let Some(flags) = line.strip_prefix("VmFlags:") {
                return flags.trim().to_string();
            }
        }
        panic!("no mapping holds {address:x}");
    }

    /// Plumbing, not science: a large column's room is advised (the kernel flags its mapping
    /// `hg`), whether or not the system then finds huge pages for it.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_large_column_is_advised_for_huge_pages() {
        let mut column: Vec<u64> = Vec::new();
        reserve_advised(&mut column, 4 << 20);
        let middle = column.as_ptr() as usize + (2 << 20) * 8;
        let flags = mapping_flags(middle);
        assert!(
            flags.split(' ').any(|f| f == "hg"),
            "the column's mapping is not advised: {flags}"
        );
    }
}
