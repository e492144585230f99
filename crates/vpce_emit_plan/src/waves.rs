//! Creation waves: the topological levels of the dependency graph read from the
//! CloudFormation bodies (`Ref`, `Fn::GetAtt`, `Fn::Sub`, `DependsOn`). Everything in a
//! wave can be created in parallel once the waves before it are done, as CloudFormation
//! does. Kahn's algorithm: linear in resources plus references.

use crate::{Action, ResourceChange, Snapshot, Wave};

/// `levels[i]` = 0 when resource `i` depends on nothing, else one more than the highest
/// level among its dependencies. Resources on a cycle (which the emitter never writes)
/// come after everything else instead of looping.
pub fn levels(deps: &[Vec<usize>]) -> Vec<usize> {
    let n = deps.len();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut waiting: Vec<usize> = vec![0; n];
    for (i, list) in deps.iter().enumerate() {
        for &d in list {
            if d != i {
                dependents[d].push(i);
                waiting[i] += 1;
            }
        }
    }
    let mut level: Vec<Option<usize>> = vec![None; n];
    let mut ready: Vec<usize> = (0..n).filter(|&i| waiting[i] == 0).collect();
    for &i in &ready {
        level[i] = Some(0);
    }
    while let Some(i) = ready.pop() {
        let next = level[i].unwrap_or(0) + 1;
        for &j in &dependents[i] {
            level[j] = Some(level[j].map_or(next, |l| l.max(next)));
            waiting[j] -= 1;
            if waiting[j] == 0 {
                ready.push(j);
            }
        }
    }
    let after_all = level.iter().flatten().max().map_or(0, |m| m + 1);
    level
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            if waiting[i] == 0 {
                l.unwrap_or(0)
            } else {
                after_all
            }
        })
        .collect()
}

/// The waves of what the plan creates, updates or replaces: a changed resource comes one
/// wave after the changed resources it depends on; unchanged ones already exist.
pub fn changed_waves(
    levels: &[usize],
    deps: &[Vec<usize>],
    resources: &[ResourceChange],
    snapshot: &Snapshot,
) -> Vec<Wave> {
    let n = levels.len();
    let changed = |i: usize| {
        resources
            .get(i)
            .is_some_and(|r| matches!(r.action, Action::Create | Action::Update | Action::Replace))
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (levels[i], i));
    let mut wave: Vec<usize> = vec![0; n];
    for &i in &order {
        if !changed(i) {
            continue;
        }
        wave[i] = 1 + deps[i]
            .iter()
            .filter(|&&d| d != i && changed(d) && levels[d] <= levels[i])
            .map(|&d| wave[d])
            .max()
            .unwrap_or(0);
    }
    let count = wave.iter().copied().max().unwrap_or(0);
    let mut waves: Vec<Wave> = (1..=count)
        .map(|number| Wave {
            wave: number,
            resources: Vec::new(),
        })
        .collect();
    for i in 0..n {
        if wave[i] > 0 {
            waves[wave[i] - 1]
                .resources
                .push(snapshot.resources[i].address.clone());
        }
    }
    waves.retain(|w| !w.resources.is_empty());
    for (number, w) in waves.iter_mut().enumerate() {
        w.wave = number + 1;
    }
    waves
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_dependencies() {
        // 0 <- 1 <- 2, 0 <- 3, 4 alone.
        let deps = vec![vec![], vec![0], vec![1], vec![0], vec![]];
        assert_eq!(levels(&deps), [0, 1, 2, 1, 0]);
    }

    #[test]
    fn cycles_come_last_without_looping() {
        let deps = vec![vec![], vec![2], vec![1]];
        assert_eq!(levels(&deps), [0, 1, 1]);
    }
}
