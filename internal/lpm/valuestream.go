package lpm

import (
	"slices"
	"time"
)

// ValueStreamKind tells a development value stream (builds solutions, funded by
// LPM) from an operational one (how the business serves its customers).
type ValueStreamKind string

// Value stream kinds.
const (
	Development ValueStreamKind = "development"
	Operational ValueStreamKind = "operational"
)

// ValueStream is a development or operational value stream of a portfolio.
// Development value streams are realised by ARTs and deliver solutions.
type ValueStream struct {
	ID          int64
	PortfolioID int64
	Name        string
	Description string
	Kind        ValueStreamKind
	ARTs        []ART
	Solutions   []Solution
	// Supports lists, for an operational value stream, the development value
	// streams whose solutions it uses.
	Supports  []int64
	CreatedAt time.Time
}

// ART is an Agile Release Train realising a development value stream.
type ART struct {
	Name      string `json:"name"`
	Headcount int    `json:"headcount,omitempty"`
}

// SolutionKind classifies what a solution is.
type SolutionKind string

// Solution kinds.
const (
	Product             SolutionKind = "product"
	Service             SolutionKind = "service"
	System              SolutionKind = "system"
	InternalApplication SolutionKind = "internal_application"
)

// Solution is a product, service or system a development value stream delivers.
type Solution struct {
	Name        string       `json:"name"`
	Kind        SolutionKind `json:"kind"`
	Description string       `json:"description,omitempty"`
}

// Validate checks a value stream before it is stored.
func (v *ValueStream) Validate() error {
	var vs violations
	vs.checkName("name", v.Name)
	vs.checkText("description", v.Description, MaxTextLen)
	switch v.Kind {
	case Development:
	case Operational:
		if len(v.ARTs) > 0 {
			vs.add("arts", "kind", "only development value streams have ARTs")
		}
		if len(v.Solutions) > 0 {
			vs.add("solutions", "kind", "only development value streams deliver solutions; link the operational one with supports")
		}
	default:
		vs.add("kind", "enum", "kind must be development or operational")
	}
	if v.Kind == Development && len(v.Supports) > 0 {
		vs.add("supports", "kind", "only operational value streams list the development value streams they use")
	}
	if len(v.ARTs) > MaxListLen {
		vs.add("arts", "max_items", "arts may hold at most %d items", MaxListLen)
	}
	for i, a := range v.ARTs {
		vs.checkName(indexed("arts", i, "name"), a.Name)
		if a.Headcount < 0 || a.Headcount > 10000 {
			vs.add(indexed("arts", i, "headcount"), "range", "headcount must be between 0 and 10000")
		}
	}
	if len(v.Solutions) > MaxListLen {
		vs.add("solutions", "max_items", "solutions may hold at most %d items", MaxListLen)
	}
	for i, s := range v.Solutions {
		vs.checkName(indexed("solutions", i, "name"), s.Name)
		switch s.Kind {
		case Product, Service, System, InternalApplication:
		default:
			vs.add(indexed("solutions", i, "kind"), "enum", "solution kind must be product, service, system or internal_application")
		}
		vs.checkText(indexed("solutions", i, "description"), s.Description, MaxTextLen)
	}
	return vs.err(EINVALID, "invalid value stream")
}

// ValueStreamUpdate changes a value stream; nil fields stay as they are. A
// list that is set replaces the whole list (an empty one clears it). The
// kind does not change.
type ValueStreamUpdate struct {
	Name, Description *string
	ARTs              *[]ART
	Solutions         *[]Solution
	// Supports replaces, for an operational value stream, the development
	// value streams it uses; whether they are development value streams of
	// the same portfolio is the store's to check, as on creation.
	Supports *[]int64
}

// Apply returns v with the update applied, validated.
func (u ValueStreamUpdate) Apply(v ValueStream) (*ValueStream, error) {
	if u.Name != nil {
		v.Name = *u.Name
	}
	if u.Description != nil {
		v.Description = *u.Description
	}
	if u.ARTs != nil {
		v.ARTs = listOf(*u.ARTs)
	}
	if u.Solutions != nil {
		v.Solutions = listOf(*u.Solutions)
	}
	if u.Supports != nil {
		v.Supports = listOf(*u.Supports)
	}
	if err := v.Validate(); err != nil {
		return nil, err
	}
	return &v, nil
}

// listOf copies s, nil when it is empty: an empty list is stored as none,
// as creation stores it.
func listOf[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}
