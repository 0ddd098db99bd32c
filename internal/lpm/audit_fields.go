package lpm

// What the audit trail records of each object: every field a person can
// change, by the names the API uses. Times of the change itself are in the
// entry; derived values (WSJF, version) are left out.

import "time"

func dateOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.Format("2006-01-02")
}

// AuditFields returns the audited fields of the portfolio.
func (p *Portfolio) AuditFields() Fields {
	return Fields{"name": p.Name, "description": p.Description, "currency": p.Currency, "key_prefix": p.KeyPrefix,
		"pi_start": p.PICadence.Start.Format("2006-01-02"), "pi_length_weeks": p.PICadence.LengthWeeks}
}

// AuditFields returns the audited fields of the column.
func (c *Column) AuditFields() Fields {
	f := Fields{"state": string(c.State), "enforcement": string(c.Enforcement), "allow_backward": c.AllowBackward, "wip_limit": nil}
	if c.WIPLimit != nil {
		f["wip_limit"] = *c.WIPLimit
	}
	return f
}

// AuditFields returns the audited fields of the value stream.
func (v *ValueStream) AuditFields() Fields {
	return Fields{"name": v.Name, "description": v.Description, "kind": string(v.Kind),
		"arts": v.ARTs, "solutions": v.Solutions, "supports": v.Supports}
}

// AuditFields returns the audited fields of the theme.
func (t *StrategicTheme) AuditFields() Fields {
	return Fields{"name": t.Name, "description": t.Description, "status": string(t.Status),
		"valid_from": dateOrNil(t.ValidFrom), "valid_to": dateOrNil(t.ValidTo)}
}

// AuditFields returns the audited fields of the epic, flattened so that a
// change of one hypothesis clause or cost shows as that field alone.
func (e *Epic) AuditFields() Fields {
	h, w, c := e.Hypothesis, e.WSJF, e.Costs
	return Fields{
		"key": e.Key, "title": e.Title, "description": e.Description, "type": string(e.Type),
		"epic_owner": e.EpicOwner, "state": string(e.State), "done_reason": string(e.DoneReason),
		"hypothesis.for_customers": h.ForCustomers, "hypothesis.who": h.Who, "hypothesis.solution_name": h.SolutionName,
		"hypothesis.is_a": h.IsA, "hypothesis.that": h.That, "hypothesis.unlike": h.Unlike,
		"hypothesis.our_solution": h.OurSolution, "hypothesis.business_outcomes": nonNil(h.BusinessOutcomes),
		"hypothesis.leading_indicators": nonNil(h.LeadingIndicators), "hypothesis.nfrs": nonNil(h.NFRs),
		"wsjf.user_business_value": w.UserBusinessValue, "wsjf.time_criticality": w.TimeCriticality,
		"wsjf.risk_reduction": w.RiskReduction, "wsjf.job_size": w.JobSize,
		"costs.mvp_internal": c.MVPInternal, "costs.mvp_supplier": c.MVPSupplier,
		"costs.full_internal": c.FullInternal, "costs.full_supplier": c.FullSupplier,
		"mvp_description": e.MVPDescription, "theme_ids": nonNil(e.ThemeIDs), "value_stream_ids": nonNil(e.ValueStreamIDs),
		"business_case.sponsors": nonNil(e.BusinessCase.Sponsors), "business_case.expected_timeline": e.BusinessCase.ExpectedTimeline,
		"business_case.analysis_summary":        e.BusinessCase.AnalysisSummary,
		"business_case.implementation_strategy": e.BusinessCase.ImplementationStrategy, "runway": nonNil(e.Runway),
		"pivoted_from": e.PivotedFrom,
	}
}

// AuditFields returns the audited fields of the decision.
func (d *Decision) AuditFields() Fields {
	return Fields{"epic_id": d.EpicID, "kind": string(d.Kind), "outcome": d.Outcome, "rationale": d.Rationale,
		"decided_by": d.DecidedBy, "new_epic_id": d.NewEpicID}
}

// AuditFields returns the audited fields of the user.
func (u *User) AuditFields() Fields {
	return Fields{"name": u.Name, "display_name": u.DisplayName, "is_admin": u.IsAdmin, "email": u.Email, "disabled": u.Disabled}
}

// AuditFields returns the audited fields of the token: never its secret or hash.
func (t *Token) AuditFields() Fields {
	f := Fields{"user_id": t.UserID, "name": t.Name, "scope": string(t.Scope), "expires_at": nil}
	if !t.ExpiresAt.IsZero() {
		f["expires_at"] = t.ExpiresAt.UTC().Format("2006-01-02T15:04:05Z07:00")
	}
	return f
}

// AuditFields returns the audited fields of the membership.
func (m *Membership) AuditFields() Fields {
	return Fields{"user_id": m.UserID, "user": m.UserName, "role": string(m.Role)}
}

// AuditFields returns the audited fields of the group mapping.
func (g *GroupRole) AuditFields() Fields {
	return Fields{"group": g.Group, "role": string(g.Role)}
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// AuditFields returns the audited fields of the objective.
func (o *Objective) AuditFields() Fields {
	return Fields{"theme_id": o.ThemeID, "title": o.Title, "description": o.Description, "owner": o.Owner,
		"period_start": dateOrNil(o.PeriodStart), "period_end": dateOrNil(o.PeriodEnd)}
}

// AuditFields returns the audited fields of the key result.
func (k *KeyResult) AuditFields() Fields {
	return Fields{"objective_id": k.ObjectiveID, "title": k.Title, "unit": k.Unit,
		"baseline": k.Baseline, "target": k.Target, "weight": k.Weight}
}

// AuditFields returns the audited fields of the check-in.
func (c *CheckIn) AuditFields() Fields {
	return Fields{"key_result_id": c.KeyResultID, "at": c.At.UTC().Format(time.RFC3339Nano), "value": c.Value,
		"confidence": c.Confidence, "status": string(c.Status), "note": c.Note}
}

// ForecastInputFields returns the audited fields of an epic's forecast
// inputs.
func ForecastInputFields(shares []ARTShare) Fields {
	list := make([]any, len(shares))
	for i, s := range shares {
		list[i] = map[string]any{"art": s.ART, "remaining_points": s.RemainingPoints, "velocity": s.Velocity, "allocation": s.Allocation}
	}
	return Fields{"forecast_inputs": list}
}
