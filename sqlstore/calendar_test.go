package sqlstore_test

import (
	"testing"

	"github.com/gongshi/gongshi/storetest"
)

func TestCalendarSQLite(t *testing.T)   { storetest.RunCalendar(t, openSQLite) }
func TestCalendarPostgres(t *testing.T) { storetest.RunCalendar(t, openPostgres) }
