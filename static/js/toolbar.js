// The formatting toolbar above long text fields (templates/components/text_toolbar.html): each
// button writes the Markdown marks around the selection, so a member formats a text without
// learning the syntax. Without this file the toolbar stays hidden and the textarea still works.
(function () {
  "use strict";

  const INLINE_MARKS = { bold: "**", italic: "*", code: "`" };
  const LINE_MARKS = {
    heading: { pattern: /^#{1,6} /, mark: function () { return "## "; } },
    list: { pattern: /^[-*+] /, mark: function () { return "- "; } },
    numbered: { pattern: /^\d+[.)] /, mark: function (index) { return index + 1 + ". "; } },
  };

  // Replace [start, end) by `text`, then select [selectFrom, selectTo) within the new text.
  function replace(textarea, start, end, text, selectFrom, selectTo) {
    textarea.focus();
    textarea.setSelectionRange(start, end);
    // insertText keeps the browser's undo history and fires "input" (preview, saved drafts).
    if (!document.execCommand("insertText", false, text)) {
      textarea.setRangeText(text, start, end, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    textarea.setSelectionRange(start + selectFrom, start + selectTo);
  }

  // Marks must touch the words ("**word** ", not "**word **"): spaces around the selection,
  // as a double tap selects them, stay outside.
  function trimmedSelection(textarea) {
    let start = textarea.selectionStart;
    let end = textarea.selectionEnd;
    const value = textarea.value;
    while (start < end && /\s/.test(value[start])) start++;
    while (end > start && /\s/.test(value[end - 1])) end--;
    return { start: start, end: end, text: value.slice(start, end) };
  }

  function toggleInline(textarea, mark, sample) {
    const value = textarea.value;
    const { start, end, text } = trimmedSelection(textarea);
    const before = value.slice(start - mark.length, start);
    const after = value.slice(end, end + mark.length);
    // "*" inside "**…**" is the bold's mark, not an italic one.
    const longer = value[start - mark.length - 1] === mark[0] || value[end + mark.length] === mark[0];
    if (text && before === mark && after === mark && !longer) {
      replace(textarea, start - mark.length, end + mark.length, text, 0, text.length);
      return;
    }
    const words = text || sample;
    replace(textarea, start, end, mark + words + mark, mark.length, mark.length + words.length);
  }

  // Several lines of code go in a block of their own, fenced by ```.
  function codeBlock(textarea) {
    const value = textarea.value;
    const { start, end, text } = trimmedSelection(textarea);
    const opening = (start > 0 && value[start - 1] !== "\n" ? "\n" : "") + "```\n";
    const closing = "\n```" + (end < value.length && value[end] !== "\n" ? "\n" : "");
    replace(textarea, start, end, opening + text + closing, opening.length, opening.length + text.length);
  }

  // Headings and lists mark whole lines: every line the selection touches; a second tap
  // takes the marks away.
  function toggleLines(textarea, format, sample) {
    const value = textarea.value;
    const { mark, pattern } = LINE_MARKS[format];
    let end = textarea.selectionEnd;
    if (end > textarea.selectionStart && value[end - 1] === "\n") end--;
    const lineStart = value.lastIndexOf("\n", textarea.selectionStart - 1) + 1;
    const next = value.indexOf("\n", end);
    const lineEnd = next === -1 ? value.length : next;
    const lines = value.slice(lineStart, lineEnd).split("\n");
    const written = lines.filter(function (line) { return line.trim(); });
    if (!written.length) {
      const first = mark(0);
      replace(textarea, lineStart, lineEnd, first + sample, first.length, first.length + sample.length);
      return;
    }
    const marked = written.every(function (line) { return pattern.test(line); });
    let count = 0;
    const changed = lines.map(function (line) {
      if (!line.trim()) return line;
      const bare = line.replace(LINE_MARKS.heading.pattern, "")
        .replace(LINE_MARKS.list.pattern, "")
        .replace(LINE_MARKS.numbered.pattern, "");
      return marked ? bare : mark(count++) + bare;
    }).join("\n");
    replace(textarea, lineStart, lineEnd, changed, 0, changed.length);
  }

  // The selected words become the link's text, and the address is selected, ready to be typed
  // or pasted; a selected address becomes the link's target.
  function link(textarea, sample) {
    const { start, end, text } = trimmedSelection(textarea);
    if (/^https?:\/\/\S+$/.test(text)) {
      replace(textarea, start, end, "[" + sample + "](" + text + ")", 1, 1 + sample.length);
      return;
    }
    const words = text || sample;
    const address = "https://";
    const from = words.length + 3;
    replace(textarea, start, end, "[" + words + "](" + address + ")", from, from + address.length);
  }

  function apply(textarea, format, sample) {
    if (format === "link") {
      link(textarea, sample);
    } else if (format in LINE_MARKS) {
      toggleLines(textarea, format, sample);
    } else if (format === "code" && textarea.value.slice(textarea.selectionStart, textarea.selectionEnd).trim().includes("\n")) {
      codeBlock(textarea);
    } else {
      toggleInline(textarea, INLINE_MARKS[format], sample);
    }
  }

  function setUp(toolbar) {
    const textarea = document.getElementById(toolbar.dataset.toolbarFor);
    if (!textarea) return;
    const buttons = Array.from(toolbar.querySelectorAll("button[data-format]"));
    function press(button) { apply(textarea, button.dataset.format, button.dataset.sample); }

    textarea.before(toolbar); // right above the text it formats, under the label and hints
    toolbar.hidden = false;
    // Tapping a button leaves the focus, the selection and a phone's keyboard in the text.
    toolbar.addEventListener("mousedown", function (event) { event.preventDefault(); });
    toolbar.addEventListener("click", function (event) {
      const button = event.target.closest("button[data-format]");
      if (button) press(button);
    });

    // One tab stop for the whole toolbar; the arrow keys move between its buttons.
    buttons.forEach(function (button, index) { button.tabIndex = index === 0 ? 0 : -1; });
    toolbar.addEventListener("keydown", function (event) {
      const current = buttons.indexOf(document.activeElement);
      const moves = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: buttons.length - 1 };
      if (current === -1 || !(event.key in moves)) return;
      event.preventDefault();
      const target = buttons[(moves[event.key] + buttons.length) % buttons.length];
      buttons[current].tabIndex = -1;
      target.tabIndex = 0;
      target.focus();
    });

    const shortcuts = { b: "bold", i: "italic" };
    textarea.addEventListener("keydown", function (event) {
      const format = shortcuts[event.key.toLowerCase()];
      if (!format || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      event.preventDefault();
      press(toolbar.querySelector('[data-format="' + format + '"]'));
    });
  }

  // The script is included once per long text field: each toolbar is set up once.
  document.querySelectorAll(".text-toolbar[data-toolbar-for][hidden]").forEach(setUp);
})();
