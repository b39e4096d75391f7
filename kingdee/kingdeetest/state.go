package kingdeetest

import (
	"encoding/json"
	"fmt"
	"io"
)

// stateFile is the JSON shape SaveState writes and LoadState reads.
type stateFile struct {
	NextID int64       `json:"nextId"`
	Forms  []formState `json:"forms"`
}

type formState struct {
	ID    string      `json:"id"`
	Seq   int         `json:"seq"`
	Bills []billState `json:"bills"`
}

type billState struct {
	ID     int64          `json:"FID"`
	Number string         `json:"FBillNo"`
	Status string         `json:"FDocumentStatus"`
	Fields map[string]any `json:"fields"`
}

// SaveState writes every form's bills as JSON, so that an offline demo
// can keep its fake ERP between runs (see LoadState).
func (s *Server) SaveState(w io.Writer) error {
	s.mu.Lock()
	st := stateFile{NextID: s.nextID}
	for _, f := range s.forms {
		fs := formState{ID: f.id, Seq: f.seq}
		for _, b := range f.sorted() {
			fs.Bills = append(fs.Bills, billState{ID: b.id, Number: b.number, Status: b.status, Fields: b.fields})
		}
		st.Forms = append(st.Forms, fs)
	}
	b, err := json.Marshal(st)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// LoadState replaces the fake's bills with those SaveState wrote.
func (s *Server) LoadState(r io.Reader) error {
	var st stateFile
	if err := json.NewDecoder(r).Decode(&st); err != nil {
		return fmt.Errorf("kingdeetest: state: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.forms)
	if st.NextID > s.nextID {
		s.nextID = st.NextID
	}
	for _, fs := range st.Forms {
		f := s.form(fs.ID)
		f.seq = fs.Seq
		for _, bs := range fs.Bills {
			if bs.Fields == nil {
				bs.Fields = map[string]any{}
			}
			b := &bill{id: bs.ID, number: bs.Number, status: bs.Status, fields: bs.Fields}
			f.byID[b.id] = b
			f.byNo[b.number] = b
		}
	}
	return nil
}
