/* Review screen: set a quotation's span by selecting words in the source text, with the mouse or
   with the keyboard. Progressive enhancement: without this script the Start/End fields are typed.

   Keyboard: press a quotation's "Use the selected text" button with nothing selected; the source
   text opens and takes the focus (a read-only text box). Move with the arrow keys, hold Shift to
   select, press Enter to use the selection for that quotation (the focus returns to its button),
   or Escape to go back without changing anything. */
(function () {
  "use strict";
  var source = document.getElementById("source-text");
  var details = document.getElementById("source-details");
  if (!source) {
    return;
  }
  var selected = null; // the last selection inside the source text: {start, end}

  function offsetOf(node, offset) {
    var range = document.createRange();
    range.setStart(source, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function readSelection() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return;
    }
    var range = selection.getRangeAt(0);
    if (!source.contains(range.startContainer) || !source.contains(range.endContainer)) {
      return;
    }
    var text = source.textContent;
    var start = offsetOf(range.startContainer, range.startOffset);
    var end = offsetOf(range.endContainer, range.endOffset);
    while (start < end && /\s/.test(text.charAt(start))) {
      start += 1;
    }
    while (end > start && /\s/.test(text.charAt(end - 1))) {
      end -= 1;
    }
    if (start < end) {
      selected = { start: start, end: end, text: text.slice(start, end) };
    }
  }

  // A click on a button may clear the selection: remember it as it is made.
  document.addEventListener("selectionchange", readSelection);

  // The source text as a read-only text box: a caret to move, Shift+arrows to select. Nothing typed,
  // pasted, dropped or cut changes it (the text is kept verbatim; offsets are counted in it).
  var target = null; // {button, apply}: the quotation the keyboard selection is for
  var hint = document.createElement("p");
  hint.className = "meta";
  hint.id = "source-text-hint";
  hint.textContent =
    "To set a span with the keyboard: press a quotation's \u201cUse the selected text\u201d button, then in this text " +
    "move with the arrow keys, hold Shift to select, and press Enter (Escape goes back).";
  source.insertAdjacentElement("beforebegin", hint);
  source.setAttribute("contenteditable", "true");
  source.setAttribute("spellcheck", "false");
  source.setAttribute("role", "textbox");
  source.setAttribute("aria-readonly", "true");
  source.setAttribute("aria-multiline", "true");
  source.setAttribute("aria-label", "Source text");
  source.setAttribute("aria-describedby", "source-text-hint");
  var original = source.innerHTML;
  source.addEventListener("beforeinput", function (event) {
    event.preventDefault();
  });
  ["paste", "drop", "cut"].forEach(function (name) {
    source.addEventListener(name, function (event) {
      event.preventDefault();
    });
  });
  source.addEventListener("input", function () {
    source.innerHTML = original; // anything that slipped through (an input method) is undone
  });
  source.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      readSelection();
      if (target) {
        target.apply();
        target.button.focus();
      }
    } else if (event.key === "Escape" && target) {
      event.preventDefault();
      target.button.focus();
    }
  });

  var items = document.querySelectorAll(".review-item[data-quotation]");
  Array.prototype.forEach.call(items, function (item) {
    var startField = item.querySelector("input[name$='-start']");
    var endField = item.querySelector("input[name$='-end']");
    if (!startField || !endField) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "use-selection";
    button.textContent = "Use the selected text";
    var status = document.createElement("span");
    status.className = "meta selection-status";
    status.setAttribute("role", "status");
    function apply() {
      if (!selected) {
        status.textContent = "Nothing was selected: the span is unchanged.";
        return;
      }
      startField.value = selected.start;
      endField.value = selected.end;
      var preview = selected.text.length > 80 ? selected.text.slice(0, 77) + "..." : selected.text;
      status.textContent = "Span set to characters " + selected.start + "-" + selected.end + ": \u201c" + preview + "\u201d (save to keep it).";
      selected = null; // the next quotation needs a selection of its own
      window.getSelection().removeAllRanges();
    }
    button.addEventListener("click", function () {
      target = { button: button, apply: apply };
      if (!selected) {
        if (details) {
          details.open = true;
        }
        status.textContent =
          "Select the words in the source text below (with the mouse, or with Shift and the arrow keys), " +
          "then press Enter there or this button again.";
        source.scrollIntoView({ block: "nearest" });
        source.focus();
        return;
      }
      apply();
    });
    endField.insertAdjacentElement("afterend", status);
    endField.insertAdjacentElement("afterend", button);
  });

  // After a refused save, the summary of problems takes the focus so it is read first.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
