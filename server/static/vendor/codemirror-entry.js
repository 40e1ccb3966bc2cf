// What the query page takes from CodeMirror 6, bundled by fetch.sh into codemirror.min.js
// (one IIFE exposing window.CM; the page loads no module from outside this server).
export { EditorView, basicSetup } from "codemirror";
export { EditorState, Compartment, Prec } from "@codemirror/state";
export { keymap, placeholder } from "@codemirror/view";
export { StreamLanguage, syntaxTree } from "@codemirror/language";
export { sparql } from "@codemirror/legacy-modes/mode/sparql";
export { autocompletion, completeFromList } from "@codemirror/autocomplete";
