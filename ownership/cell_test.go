package ownership_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/handoff-go/handoff/ownership"
)

func TestCell(t *testing.T) {
	a, b := newOwner(t), newOwner(t)
	c := ownership.NewCell(a, []int{1, 2})
	p, err := c.Borrow(a)
	require.NoError(t, err)
	*p = append(*p, 3)

	_, err = c.Borrow(b)
	require.ErrorIs(t, err, ownership.ErrNotOwner)
	_, err = c.Load(b)
	require.ErrorIs(t, err, ownership.ErrNotOwner)

	require.NoError(t, a.Transfer(&c.Header, b))
	v, err := c.Load(b)
	require.NoError(t, err)
	require.Equal(t, []int{1, 2, 3}, v)
	_, err = c.Borrow(a)
	require.ErrorIs(t, err, ownership.ErrNotOwner)

	require.NoError(t, b.Freeze(&c.Header))
	v, err = c.Load(a)
	require.NoError(t, err, "frozen cells are readable by every owner")
	require.Len(t, v, 3)
	_, err = c.Borrow(b)
	require.ErrorIs(t, err, ownership.ErrNotOwner, "frozen cells are writable by none")
}
