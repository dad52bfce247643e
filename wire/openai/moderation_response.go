package openai

import "switchyard/llm"

// DecodeModerationResponse decodes an upstream moderations answer:
// {"id","model","results":[…]}, each result with categories (booleans or
// null) and category_scores (numbers), and optionally flagged and
// category_applied_input_types (arrays of strings) — Mistral sends
// neither. A result without flagged is flagged when a category is true.
// Unknown members are skipped. The response keeps data as Body. A body
// that carries an "error" object is returned as that error; other
// failures (results missing, a result without categories or scores, a
// value of the wrong type) are *llm.Error values of kind upstream.
func DecodeModerationResponse(data []byte) (*llm.ModerationResponse, error) {
	s := scanner{data: data}
	if err := notObject(&s); err != nil {
		return nil, upstreamError("moderations response", data, err)
	}
	r := &llm.ModerationResponse{}
	var upErr *llm.Error
	hasResults := false
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "id":
			r.ID, err = s.optStr()
		case "model":
			r.Model, err = s.optStr()
		case "results":
			hasResults = true
			return decodeModerationResults(&s, r)
		case "error":
			upErr, err = decodeErrorValue(&s)
		default:
			return s.skip()
		}
		return err
	})
	if err == nil {
		err = s.end()
	}
	if err == nil && upErr == nil && !hasResults {
		err = errMissing().in("results")
	}
	if err != nil {
		return nil, upstreamError("moderations response", data, err)
	}
	if upErr != nil {
		return nil, upErr
	}
	r.Body = data
	return r, nil
}

func decodeModerationResults(s *scanner, r *llm.ModerationResponse) error {
	return s.array(func(int) error {
		r.Results = append(r.Results, llm.ModerationResult{})
		return decodeModerationResult(s, &r.Results[len(r.Results)-1])
	})
}

// decodeModerationResult reads one result, merging its three per-category
// objects by name.
func decodeModerationResult(s *scanner, res *llm.ModerationResult) error {
	flagged, hasFlagged, hasCats, hasScores := false, false, false, false
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "flagged":
			flagged, err = s.boolean()
			hasFlagged = true
		case "categories":
			hasCats = true
			err = s.object(func(name []byte) error {
				c := category(res, name)
				if s.null() {
					c.Flagged = nil
					return nil
				}
				v, err := s.boolean()
				c.Flagged = &v
				return err
			})
		case "category_scores":
			hasScores = true
			err = s.object(func(name []byte) error {
				var err error
				category(res, name).Score, err = s.float()
				return err
			})
		case "category_applied_input_types":
			err = decodeAppliedTypes(s, res)
		default:
			return s.skip()
		}
		return err
	})
	switch {
	case err != nil:
		return err
	case !hasCats:
		return errMissing().in("categories")
	case !hasScores:
		return errMissing().in("category_scores")
	}
	res.Flagged = flagged
	if !hasFlagged {
		for _, c := range res.Categories {
			res.Flagged = res.Flagged || c.Flagged != nil && *c.Flagged
		}
	}
	return nil
}

func decodeAppliedTypes(s *scanner, res *llm.ModerationResult) error {
	if s.null() {
		return nil
	}
	return s.object(func(name []byte) error {
		c := category(res, name)
		c.AppliedInputTypes = []string{}
		if s.null() {
			return nil
		}
		return s.array(func(int) error {
			v, err := s.str()
			c.AppliedInputTypes = append(c.AppliedInputTypes, v)
			return err
		})
	})
}

// category returns res's category named name, adding it in order.
func category(res *llm.ModerationResult, name []byte) *llm.ModerationCategory {
	for i := range res.Categories {
		if res.Categories[i].Name == string(name) {
			return &res.Categories[i]
		}
	}
	res.Categories = append(res.Categories, llm.ModerationCategory{Name: string(name)})
	return &res.Categories[len(res.Categories)-1]
}

// AppendModerationResponse appends r as OpenAI's moderation object: id,
// model and results, each with flagged, categories (null where a
// category's Flagged is nil), category_scores and, when some category has
// them, category_applied_input_types (of the categories that have them).
// It encodes the fields, not r.Body.
func AppendModerationResponse(dst []byte, r *llm.ModerationResponse) []byte {
	dst = append(dst, `{"id":`...)
	dst = appendString(dst, r.ID)
	dst = append(dst, `,"model":`...)
	dst = appendString(dst, r.Model)
	dst = append(dst, `,"results":[`...)
	for i := range r.Results {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendModerationResult(dst, &r.Results[i])
	}
	return append(dst, ']', '}')
}

// AppendModerationResult appends one result of a moderation response
// ({"flagged", "categories", "category_scores",
// "category_applied_input_types"?}), as AppendModerationResponse writes
// each.
func AppendModerationResult(dst []byte, res *llm.ModerationResult) []byte {
	return appendModerationResult(dst, res)
}

func appendModerationResult(dst []byte, res *llm.ModerationResult) []byte {
	dst = append(dst, `{"flagged":`...)
	dst = appendBool(dst, res.Flagged)
	dst = append(dst, `,"categories":{`...)
	applied := false
	for i, c := range res.Categories {
		dst = appendCategoryKey(dst, i, c.Name)
		if c.Flagged == nil {
			dst = append(dst, "null"...)
		} else {
			dst = appendBool(dst, *c.Flagged)
		}
		applied = applied || c.AppliedInputTypes != nil
	}
	dst = append(dst, `},"category_scores":{`...)
	for i, c := range res.Categories {
		dst = appendFloat(appendCategoryKey(dst, i, c.Name), c.Score, 64)
	}
	dst = append(dst, '}')
	if applied {
		dst = append(dst, `,"category_applied_input_types":{`...)
		n := 0
		for _, c := range res.Categories {
			if c.AppliedInputTypes == nil {
				continue
			}
			dst = append(appendCategoryKey(dst, n, c.Name), '[')
			n++
			for j, t := range c.AppliedInputTypes {
				if j > 0 {
					dst = append(dst, ',')
				}
				dst = appendString(dst, t)
			}
			dst = append(dst, ']')
		}
		dst = append(dst, '}')
	}
	return append(dst, '}')
}

// appendCategoryKey appends the i-th key of a per-category object.
func appendCategoryKey(dst []byte, i int, name string) []byte {
	if i > 0 {
		dst = append(dst, ',')
	}
	return append(appendString(dst, name), ':')
}
