package llm

// Category is what a request needs, as the classifier judges it.
type Category string

// The request categories.
const (
	CategoryFactual       Category = "factual"       // retrieval, question answering
	CategoryCreative      Category = "creative"      // stories, poems, marketing copy
	CategoryReasoning     Category = "reasoning"     // multi-step math and logic
	CategoryExtraction    Category = "extraction"    // structured data out of text, JSON output
	CategoryCode          Category = "code"          // synthesis, debugging, explanation
	CategorySummarization Category = "summarization" // condensing given text
	CategoryChat          Category = "chat"          // small talk, simple turns
)

// NumCategories is len(Categories).
const NumCategories = 7

// Categories lists every category in a fixed order.
var Categories = []Category{
	CategoryFactual, CategoryCreative, CategoryReasoning, CategoryExtraction,
	CategoryCode, CategorySummarization, CategoryChat,
}

// Valid reports whether c is a known category.
func (c Category) Valid() bool {
	for _, x := range Categories {
		if x == c {
			return true
		}
	}
	return false
}
