package api

// Generic shapes of list answers, for the operations added with roles; the
// older lists keep their own named page types, whose schema names clients use.

// page is one page of a list.
type page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty" doc:"Pass as cursor to get the next page; absent on the last page."`
}

// pageOf converts one page of domain objects with conv.
func pageOf[D, T any](list []D, next string, conv func(D) T) *struct{ Body page[T] } {
	out := &struct{ Body page[T] }{Body: page[T]{Items: make([]T, len(list)), NextCursor: next}}
	for i, d := range list {
		out.Body.Items[i] = conv(d)
	}
	return out
}

// itemsOf converts a whole list of domain objects with conv.
func itemsOf[D, T any](list []D, conv func(D) T) *struct{ Body items[T] } {
	out := &struct{ Body items[T] }{Body: items[T]{Items: make([]T, len(list))}}
	for i, d := range list {
		out.Body.Items[i] = conv(d)
	}
	return out
}

// items is a whole list, for lists that stay short.
type items[T any] struct {
	Items []T `json:"items"`
}
