// Package cli holds what the example programs share: a table printer that
// aligns Chinese text, and the -live environment check that names every
// missing variable at once.
package cli

import (
	"io"
	"strings"
	"unicode/utf8"
)

// Table prints rows under header with columns aligned by display width:
// a Chinese character takes two terminal cells, so text/tabwriter (which
// counts runes) shifts every row that holds one.
func Table(w io.Writer, header []string, rows [][]string) error {
	widths := make([]int, len(header))
	measure := func(cells []string) {
		for i, c := range cells {
			if i < len(widths) {
				widths[i] = max(widths[i], Width(c))
			}
		}
	}
	measure(header)
	for _, r := range rows {
		measure(r)
	}
	var b strings.Builder
	line := func(cells []string) {
		var l strings.Builder
		for i, c := range cells {
			if i >= len(widths) {
				break
			}
			l.WriteString(c)
			if i < len(cells)-1 && i < len(widths)-1 {
				l.WriteString(strings.Repeat(" ", widths[i]-Width(c)+2))
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " "))
		b.WriteString("\n")
	}
	line(header)
	for _, r := range rows {
		line(r)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Width is the number of terminal cells s takes: two for East Asian wide
// and fullwidth characters, zero for combining marks, one for the rest.
func Width(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r == utf8.RuneError || r < 0x20:
			n++
		case isCombining(r):
		case isWide(r):
			n += 2
		default:
			n++
		}
	}
	return n
}

func isCombining(r rune) bool {
	return (r >= 0x0300 && r <= 0x036F) || (r >= 0x200B && r <= 0x200F) || r == 0xFE0F
}

// wideRanges are the East Asian Wide (W) and Fullwidth (F) blocks that
// Chinese text uses.
var wideRanges = [][2]rune{
	{0x1100, 0x115F},   // Hangul Jamo
	{0x2E80, 0x303E},   // CJK radicals, punctuation (、。「」)
	{0x3041, 0x33FF},   // kana, bopomofo, CJK compatibility
	{0x3400, 0x4DBF},   // CJK extension A
	{0x4E00, 0x9FFF},   // CJK unified ideographs
	{0xA000, 0xA4CF},   // Yi
	{0xAC00, 0xD7A3},   // Hangul syllables
	{0xF900, 0xFAFF},   // CJK compatibility ideographs
	{0xFE30, 0xFE4F},   // CJK compatibility forms
	{0xFF00, 0xFF60},   // fullwidth forms (，：（）)
	{0xFFE0, 0xFFE6},   // fullwidth signs (￥)
	{0x1F300, 0x1F64F}, // emoji
	{0x1F900, 0x1F9FF},
	{0x20000, 0x3FFFD}, // CJK extensions B and beyond
}

func isWide(r rune) bool {
	for _, w := range wideRanges {
		if r >= w[0] && r <= w[1] {
			return true
		}
	}
	return false
}
