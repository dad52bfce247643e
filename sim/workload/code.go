package workload

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"switchyard/llm"
)

// task is a small programming task in the style of MBPP and HumanEval: a
// Python function to write, its reference solution and a buggy one.
type task struct {
	name, args string
	// does says what the function does, starting with a verb in the
	// third person ("returns …"); its first word without the final "s"
	// is the infinitive.
	does      string
	body, bug string // the function's body lines
}

var tasks = []task{
	{"is_palindrome", "s", "returns True if the string s reads the same forwards and backwards",
		"return s == s[::-1]", "return s == sorted(s)"},
	{"count_vowels", "s", "counts the vowels (a, e, i, o, u) in the string s, ignoring case",
		`return sum(1 for c in s.lower() if c in "aeiou")`, `return sum(1 for c in s if c in "aeiou")`},
	{"reverse_words", "sentence", "reverses the order of the words in a sentence",
		`return " ".join(sentence.split()[::-1])`, `return sentence[::-1]`},
	{"second_largest", "nums", "returns the second largest distinct number in a list",
		"return sorted(set(nums))[-2]", "return sorted(nums)[-2]"},
	{"flatten", "nested", "flattens a list of lists into a single list",
		"return [x for sub in nested for x in sub]", "return [sub[0] for sub in nested]"},
	{"remove_duplicates", "items", "removes duplicates from a list while keeping the original order",
		"return list(dict.fromkeys(items))", "return list(set(items))"},
	{"factorial", "n", "computes n! for a non-negative integer n",
		"result = 1\n    for i in range(2, n + 1):\n        result *= i\n    return result",
		"result = 1\n    for i in range(2, n):\n        result *= i\n    return result"},
	{"fibonacci", "n", "returns the n-th Fibonacci number, with fibonacci(0) == 0",
		"a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a",
		"a, b = 1, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a"},
	{"is_prime", "n", "checks whether n is a prime number",
		"if n < 2:\n        return False\n    return all(n % d for d in range(2, int(n ** 0.5) + 1))",
		"return all(n % d for d in range(2, n // 2))"},
	{"word_count", "text", "counts how many times each word occurs in a text and returns a dict",
		"counts = {}\n    for w in text.split():\n        counts[w] = counts.get(w, 0) + 1\n    return counts",
		"return {w: 1 for w in text.split()}"},
	{"common_elements", "a, b", "finds the elements two lists have in common, sorted",
		"return sorted(set(a) & set(b))", "return sorted(set(a) | set(b))"},
	{"capitalize_words", "s", "capitalizes the first letter of every word in a string",
		`return " ".join(w[:1].upper() + w[1:] for w in s.split())`, `return s.capitalize()`},
	{"max_subarray_sum", "nums", "returns the largest sum of a contiguous sublist of a non-empty list of integers",
		"best = cur = nums[0]\n    for x in nums[1:]:\n        cur = max(x, cur + x)\n        best = max(best, cur)\n    return best",
		"return sum(x for x in nums if x > 0)"},
	{"is_anagram", "a, b", "checks whether two strings are anagrams of each other",
		"return sorted(a) == sorted(b)", "return set(a) == set(b)"},
	{"merge_sorted", "a, b", "merges two sorted lists into one sorted list",
		"return sorted(a + b)", "return a + b"},
	{"digit_sum", "n", "returns the sum of the digits of a non-negative integer",
		"return sum(int(d) for d in str(n))", "return n % 10 + n // 10"},
	{"celsius_to_fahrenheit", "c", "converts a temperature from Celsius to Fahrenheit",
		"return c * 9 / 5 + 32", "return (c - 32) * 5 / 9"},
	{"chunk", "items, size", "splits a list into chunks of the given size",
		"return [items[i:i + size] for i in range(0, len(items), size)]", "return [items[i:i + size] for i in range(len(items))]"},
}

// parameterized tasks multiply the forms: each has one %d, filled with
// the same number in the name, the description and both bodies.
var parameterized = []task{
	{"is_divisible_by_%d", "n", "returns True if n is divisible by %d", "return n %% %d == 0", "return n %% %d == 1"},
	{"multiples_of_%d", "n", "returns a list of the first n positive multiples of %d", "return [%d * i for i in range(1, n + 1)]", "return [%d * i for i in range(n)]"},
	{"power_%d", "x", "returns x raised to the power %d", "return x ** %d", "return x * %d"},
	{"words_longer_than_%d", "text", "returns the words of a text that are longer than %d characters",
		"return [w for w in text.split() if len(w) > %d]", "return [w for w in text.split() if len(w) >= %d]"},
	{"round_up_to_%d", "n", "rounds a positive integer up to the next multiple of %d",
		"return -(-n // %d) * %d", "return n // %d * %d"},
	{"top_%d", "nums", "returns the %d largest numbers of a list, largest first",
		"return sorted(nums, reverse=True)[:%d]", "return sorted(nums)[:%d]"},
}

// codeForms ask for a task: name, args, what it does (third person) and
// what to do (infinitive) are filled in as named.
var codeForms = []string{
	"Write a Python function `{name}({args})` that {does}.",
	"Write Python code for a function {name}({args}) that {does}.",
	"Can you write a python function called {name} that {does}?",
	"I need a Python function named `{name}` which {does}. Please include the code.",
	"Write a function {name}({args}) in Python to {do}.",
	"Create a Python function {name} that takes {args} and {does}.",
	"python: how do I write a function {name}({args}) to {do}?",
}

// code writes a programming task; the answer is the function's code.
func code(r *rand.Rand) Item {
	var t task
	if r.IntN(3) == 0 {
		t = pick(r, tasks)
	} else {
		t = pick(r, parameterized)
		k := between(r, 2, 20)
		t = task{fmt.Sprintf(t.name, k), t.args, fmt.Sprintf(t.does, k), fill(t.body, k), fill(t.bug, k)}
	}
	verb, rest, _ := strings.Cut(t.does, " ")
	prompt := strings.NewReplacer("{name}", t.name, "{args}", t.args, "{does}", t.does,
		"{do}", strings.TrimSuffix(verb, "s")+" "+rest).Replace(pick(r, codeForms))
	def := "def " + t.name + "(" + t.args + "):\n    "
	return Item{Prompt: prompt, Category: llm.CategoryCode, Expected: def + t.body, Wrong: []string{def + t.bug}}
}

// fill puts k in every %d of format.
func fill(format string, k int) string {
	args := make([]any, strings.Count(format, "%d"))
	for i := range args {
		args[i] = k
	}
	return fmt.Sprintf(format, args...)
}
