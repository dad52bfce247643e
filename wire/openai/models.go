package openai

// Model is one entry of a model list: a route or deployment name clients
// may ask for.
type Model struct {
	// ID is the name clients send as "model".
	ID string
	// OwnedBy is the organization shown as the owner.
	OwnedBy string
	// Created is a Unix time in seconds; zero is written as 0.
	Created int64
}

// AppendModelList appends the models as OpenAI's list:
// {"object":"list","data":[{"id","object":"model","created","owned_by"}]}.
func AppendModelList(dst []byte, models []Model) []byte {
	dst = append(dst, `{"object":"list","data":[`...)
	for i := range models {
		m := &models[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"id":`...)
		dst = appendString(dst, m.ID)
		dst = append(dst, `,"object":"model","created":`...)
		dst = appendInt64(dst, m.Created)
		dst = append(dst, `,"owned_by":`...)
		dst = appendString(dst, m.OwnedBy)
		dst = append(dst, '}')
	}
	return append(dst, ']', '}')
}
