package main

// More code for the code prompts: snippets in many languages, and function
// stubs to complete. Written here.

func init() {
	snippets = append(snippets,
		"import pandas as pd\ndf = pd.read_csv('sales.csv')\ndf['month'] = df['date'].dt.month\nprint(df.groupby('month').sum())",
		"async function load() {\n  const res = await fetch('/api/items');\n  const items = res.json();\n  return items.map(i => i.name);\n}",
		"#include <stdio.h>\nint main() {\n    char buf[8];\n    gets(buf);\n    printf(\"%s\\n\", buf);\n    return 0;\n}",
		"package main\n\nimport \"fmt\"\n\nfunc main() {\n\tm := map[string]int{}\n\tvar wg sync.WaitGroup\n\tfor i := 0; i < 10; i++ {\n\t\twg.Add(1)\n\t\tgo func() { m[\"k\"]++; wg.Done() }()\n\t}\n\twg.Wait()\n\tfmt.Println(m)\n}",
		"<div class=\"card\">\n  <img src=\"{{ url }}\">\n  <p>{{ title }}</p>\n</div>\n<style>\n.card { display: flex; align-items: center; }\n</style>",
		"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n        ports:\n        - containerPort: 80",
		"fun main() {\n    val names = listOf(\"a\", \"b\", null)\n    println(names.map { it.length })\n}",
		"def fib(n):\n    if n <= 1:\n        return n\n    return fib(n - 1) + fib(n - 2)\n\nprint(fib(50))",
		"UPDATE accounts SET balance = balance - 100 WHERE id = 1;\nUPDATE accounts SET balance = balance + 100 WHERE id = 2;",
		"try {\n    FileReader fr = new FileReader(\"data.txt\");\n    int c = fr.read();\n} catch (Exception e) {\n}",
		"impl Shape for Circle {\n    fn area(&self) -> f64 {\n        3.14 * self.r * self.r\n    }\n}",
		"$users = $db->query(\"SELECT * FROM users WHERE name = '\" . $_GET['name'] . \"'\");",
		"x = [1, 2, 3]\ny = x\ny.append(4)\nprint(x)",
		"interface User { id: number; name?: string }\nfunction greet(u: User) {\n  return 'Hi ' + u.name.toUpperCase();\n}",
		"git rebase -i HEAD~3\n# error: cannot 'squash' without a previous commit",
		"while True:\n    line = input()\n    if line == 'quit':\n        break\n    nums.append(int(line))",
		"SELECT name FROM employees e JOIN departments d ON e.dept_id = d.id WHERE d.name = 'Sales' ORDER BY salary DESC LIMIT 1;",
		"std::vector<int> v = {3, 1, 2};\nstd::sort(v.begin(), v.end(), [](int a, int b) { return a > b; });",
		"const server = http.createServer((req, res) => {\n  res.writeHead(200, {'Content-Type': 'application/json'});\n  res.end(JSON.stringify({ ok: true }));\n});\nserver.listen(3000);",
		"for i in range(len(items)):\n    if items[i] == target:\n        del items[i]",
	)
	stubs = append(stubs,
		"def flatten(nested: list) -> list:\n    \"\"\"Flatten a list of lists one level deep.\n    flatten([[1, 2], [3]]) -> [1, 2, 3]\n    \"\"\"",
		"def word_lengths(sentence: str) -> dict:\n    \"\"\"Map each word of the sentence to its length.\"\"\"\n    # your code here",
		"def rotate(matrix):\n    # rotate a square matrix 90 degrees clockwise, in place\n    pass",
		"function slugify(title) {\n  // 'Hello World!' -> 'hello-world'\n}",
		"// Returns true if the brackets in s are balanced: ()[]{}\nfunc Balanced(s string) bool {\n}",
		"def parse_duration(s):\n    \"\"\"Parse strings like '1h30m' or '45s' into seconds.\"\"\"\n    raise NotImplementedError",
		"public List<Integer> primesUpTo(int n) {\n    // sieve of Eratosthenes\n}",
		"def dedupe(records, key):\n    \"\"\"Remove records with a duplicate key, keeping the first.\"\"\"",
		"type Stack[T any] struct {\n\t// implement Push, Pop and Len\n}",
		"def most_common_char(s: str) -> str:\n    \"\"\"Return the most frequent character; ties go to the earliest.\n    >>> most_common_char('banana')\n    'a'\n    \"\"\"",
		"SELECT /* customers with no orders in the last 90 days */\nFROM customers c\n-- complete the query",
		"def to_snake_case(name):\n    # 'userName' -> 'user_name', 'HTTPServer' -> 'http_server'\n    ...",
	)
}

// stubs are functions to complete.
var stubs = []string{
	"function isAnagram(a, b) {\n  // return true if a and b contain the same letters\n}",
	"func Reverse(s string) string {\n\t// TODO: reverse s, handling multi-byte runes\n}",
	"public static int countVowels(String s) {\n    // return the number of vowels in s\n}",
	"fn gcd(a: u64, b: u64) -> u64 {\n    // greatest common divisor\n    todo!()\n}",
	"// Implement: returns the k most frequent elements of nums\nfunction topK(nums: number[], k: number): number[] {\n}",
	"def chunk(items, size):\n    # split items into lists of length size; the last may be shorter\n    pass",
	"def is_valid_ipv4(s: str) -> bool:\n    # TODO\n    ...",
	"class Queue:\n    def __init__(self):\n        ...\n    def enqueue(self, x):\n        ...\n    def dequeue(self):\n        ...",
}
