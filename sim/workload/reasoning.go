package workload

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"switchyard/llm"
)

// problem is a math word problem: its text, answer and the answers of
// the slips people make solving it.
type problem struct {
	text  string
	right int
	slips []int
}

// problems write grade-school word problems in the style of GSM8K
// (openai/grade-school-math): a few steps of arithmetic over names,
// things and numbers, each in two or more wordings.
var problems = []func(r *rand.Rand) problem{
	shopping, travel, ages, sharing, wages, discount, bakery, average, marbles, reading,
}

// reasoning writes a math word problem; its answer is the number.
func reasoning(r *rand.Rand) Item {
	p := pick(r, problems)(r)
	it := Item{Prompt: p.text, Category: llm.CategoryReasoning, Expected: strconv.Itoa(p.right)}
	seen := map[int]bool{p.right: true}
	for _, s := range p.slips {
		if s >= 0 && !seen[s] {
			seen[s] = true
			it.Wrong = append(it.Wrong, strconv.Itoa(s))
		}
	}
	return it
}

var goods = []struct{ many, one string }{
	{"notebooks", "pen"}, {"apples", "bag of flour"}, {"tickets", "program"}, {"cupcakes", "box"},
	{"shirts", "belt"}, {"plants", "watering can"}, {"comic books", "poster"}, {"candles", "lighter"},
}

func shopping(r *rand.Rand) problem {
	p, g := pick(r, people), pick(r, goods)
	a, price, extra := between(r, 2, 12), between(r, 2, 15), between(r, 1, 20)
	right := a*price + extra
	slips := []int{a * price, a + price + extra, a * (price + extra)}
	texts := []string{
		fmt.Sprintf("%s buys %d %s at $%d each and a %s for $%d. How much does %s spend in total?", p.name, a, g.many, price, g.one, extra, p.they),
		fmt.Sprintf("%s bought %d %s for $%d apiece, plus one %s that cost $%d. What was the total cost in dollars?", p.name, a, g.many, price, g.one, extra),
		fmt.Sprintf("At the market, %d %s cost $%d each. %s takes %d of them and also pays $%d for a %s. How many dollars does %s pay?", a, g.many, price, p.name, a, extra, g.one, p.they),
	}
	return problem{pick(r, texts), right, slips}
}

func travel(r *rand.Rand) problem {
	vehicle := pick(r, []string{"train", "bus", "car", "truck", "ferry"})
	s1, h1, s2, h2 := 5*between(r, 6, 16), between(r, 2, 5), 5*between(r, 4, 12), between(r, 1, 4)
	right := s1*h1 + s2*h2
	slips := []int{s1 * h1, (s1 + s2) * (h1 + h2), s1*h1 + s2}
	texts := []string{
		fmt.Sprintf("A %s travels at %d miles per hour for %d hours, then at %d miles per hour for %d more hours. How many miles does it travel in total?", vehicle, s1, h1, s2, h2),
		fmt.Sprintf("A %s goes %d km an hour for the first %d hours of a trip and %d km an hour for the remaining %d hours. How far does it go altogether, in km?", vehicle, s1, h1, s2, h2),
	}
	return problem{pick(r, texts), right, slips}
}

func ages(r *rand.Rand) problem {
	p := pick(r, people)
	relative := pick(r, []string{"son", "daughter", "nephew", "niece"})
	k, a, y := between(r, 2, 5), between(r, 3, 12), between(r, 2, 10)
	right := k*a + y
	slips := []int{k * a, k * (a + y), k*a - y}
	texts := []string{
		fmt.Sprintf("%s is %d times as old as %s %s, who is %d. How old will %s be in %d years?", p.name, k, p.their, relative, a, p.name, y),
		fmt.Sprintf("%s's %s is %d years old, and %s is %d times that age. What will %s's age be %d years from now?", p.name, relative, a, p.they, k, p.name, y),
	}
	return problem{pick(r, texts), right, slips}
}

func sharing(r *rand.Rand) problem {
	p, g := pick(r, people), pick(r, goods)
	friends, each := between(r, 2, 8), between(r, 2, 9)
	n := friends*each + between(r, 3, 40)
	right := n - friends*each
	slips := []int{n - each, n - friends, friends * each}
	texts := []string{
		fmt.Sprintf("%s has %d %s. %s gives %d to each of %d friends. How many %s does %s have left?", p.name, n, g.many, capitalize(p.they), each, friends, g.many, p.they),
		fmt.Sprintf("%s started with %d %s and handed out %d to every one of %s %d classmates. How many %s remain?", p.name, n, g.many, each, p.their, friends, g.many),
	}
	return problem{pick(r, texts), right, slips}
}

func wages(r *rand.Rand) problem {
	p := pick(r, people)
	w, h, d := between(r, 9, 40), between(r, 3, 9), between(r, 2, 6)
	right := w * h * d
	slips := []int{w * h, w * d, w*h + d}
	texts := []string{
		fmt.Sprintf("%s earns $%d an hour and works %d hours a day, %d days a week. How much does %s earn in a week?", p.name, w, h, d, p.they),
		fmt.Sprintf("%s is paid $%d per hour. This week %s worked %d days, %d hours each day. How many dollars did %s make this week?", p.name, w, p.they, d, h, p.they),
	}
	return problem{pick(r, texts), right, slips}
}

func discount(r *rand.Rand) problem {
	item := pick(r, []string{"jacket", "bicycle", "lamp", "backpack", "blender", "guitar"})
	price, pct := 20*between(r, 2, 25), pick(r, []int{10, 20, 25, 50})
	right := price - price*pct/100
	slips := []int{price * pct / 100, price - pct, price}
	texts := []string{
		fmt.Sprintf("A %s costs $%d. It is on sale for %d%% off. What is the sale price in dollars?", item, price, pct),
		fmt.Sprintf("The regular price of a %s is $%d, and the store takes %d%% off during a sale. How much does the %s cost during the sale?", item, price, pct, item),
	}
	return problem{pick(r, texts), right, slips}
}

func bakery(r *rand.Rand) problem {
	p := pick(r, people)
	thing := pick(r, []string{"cookies", "muffins", "loaves of bread", "bagels", "pies"})
	a, b := between(r, 10, 60), between(r, 10, 60)
	n := a + b + between(r, 5, 50)
	right := n - a - b
	slips := []int{n - a, a + b, n - b}
	texts := []string{
		fmt.Sprintf("A baker made %d %s. %s sold %d in the morning and %d in the afternoon. How many %s are left?", n, thing, p.name, a, b, thing),
		fmt.Sprintf("%s baked %d %s for the fair, sold %d before noon and %d after noon. How many %s did %s not sell?", p.name, n, thing, a, b, thing, p.they),
	}
	return problem{pick(r, texts), right, slips}
}

func average(r *rand.Rand) problem {
	p := pick(r, people)
	a, b := between(r, 60, 100), between(r, 60, 100)
	c := between(r, 60, 100)
	c -= (a + b + c) % 3
	right := (a + b + c) / 3
	slips := []int{a + b + c, (a + b) / 2, right + 1}
	texts := []string{
		fmt.Sprintf("%s scored %d, %d and %d on three tests. What is %s average score?", p.name, a, b, c, p.their),
		fmt.Sprintf("On three quizzes %s got %d, %d and %d points. What was %s mean score across the three quizzes?", p.name, a, b, c, p.their),
	}
	return problem{pick(r, texts), right, slips}
}

func marbles(r *rand.Rand) problem {
	p := pick(r, people)
	thing := pick(r, []string{"marbles", "stickers", "baseball cards", "stamps", "seashells"})
	n, x := 4*between(r, 5, 30), between(r, 3, 25)
	right := n - n/4 + x
	slips := []int{n/4 + x, n - n/4, n + x}
	texts := []string{
		fmt.Sprintf("%s had %d %s and lost a quarter of them. Then %s found %d more. How many %s does %s have now?", p.name, n, thing, p.they, x, thing, p.they),
		fmt.Sprintf("%s's collection of %d %s shrank by one fourth when some went missing, but %s later got %d new ones. How many %s are in the collection now?", p.name, n, thing, p.they, x, thing),
	}
	return problem{pick(r, texts), right, slips}
}

func reading(r *rand.Rand) problem {
	p := pick(r, people)
	perDay, days := between(r, 8, 40), between(r, 4, 20)
	pages := perDay * days
	slips := []int{days + 1, days - 1, pages / 10}
	texts := []string{
		fmt.Sprintf("%s reads %d pages a day. How many days will it take %s to finish a %d-page book?", p.name, perDay, p.them, pages),
		fmt.Sprintf("A book has %d pages. If %s reads %d pages every day, how many days does %s need to read the whole book?", pages, p.name, perDay, p.they),
	}
	return problem{pick(r, texts), days, slips}
}
