// Package lpm holds the Lean Portfolio Management domain: portfolios, value
// streams, strategic themes, epics, the portfolio Kanban with its WIP limits and
// policies, WSJF and decisions. It is plain Go with no knowledge of HTTP or SQL;
// storage and transport are adapters around the types and rules defined here.
//
// The rules a reader should be able to find in one place:
//   - which Kanban moves exist and what each needs: transition.go (PlanTransition)
//   - WIP limits: kanban.go (Column.HasRoom) applied by PlanTransition; the store
//     calls PlanTransition while it holds the target column's lock, which is what
//     makes the limit hold under concurrency (see Store.TransitionEpic).
//   - WSJF and backlog order: wsjf.go
package lpm
