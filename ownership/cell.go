package ownership

// Cell is a value reachable only through a checked borrow: the ownership
// check is not a convention the caller may forget but the only way in.
// Cell embeds Header, so *Cell[T] is an Object and works with every Owner
// method (Transfer, Steal, Freeze, ...).
type Cell[T any] struct {
	Header
	value T
}

// NewCell returns a cell holding v, owned by o (free if o is closed).
func NewCell[T any](o *Owner, v T) *Cell[T] {
	c := &Cell[T]{value: v}
	if w := o.curWord(); w != noneWord {
		c.word.Store(w)
	}
	return c
}

// Borrow returns write access to the value if o owns the cell, else a
// *NotOwnerError. The pointer is valid until o's next preemption point; do not
// keep it longer.
func (c *Cell[T]) Borrow(o *Owner) (*T, error) {
	if c.word.Load() == o.cur {
		return &c.value, nil
	}
	return nil, notOwner(o, &c.Header, nil)
}

// Load returns a copy of the value if o may read the cell (owns it, or it is
// frozen), else a *NotOwnerError.
func (c *Cell[T]) Load(o *Owner) (T, error) {
	if o.CanRead(&c.Header) {
		return c.value, nil
	}
	var zero T
	return zero, notOwner(o, &c.Header, nil)
}
