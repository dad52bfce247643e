package sqlstore

// SaveSnapshot is the statement replacing a snapshot: name, time_ns and
// data bind in that order.
func SaveSnapshot(ph Placeholder) string {
	return "INSERT INTO learned_snapshots (name, time_ns, data) VALUES (" + ph(1) + ", " + ph(2) + ", " + ph(3) +
		") ON CONFLICT (name) DO UPDATE SET time_ns = excluded.time_ns, data = excluded.data"
}

// LoadSnapshot is the query of a snapshot's time_ns and data by name.
func LoadSnapshot(ph Placeholder) string {
	return "SELECT time_ns, data FROM learned_snapshots WHERE name = " + ph(1)
}
