// Package ui is banli's web user interface: the HTML templates, the
// stylesheet and the little script the pages use, all embedded in the binary
// (no front-end build step, nothing loaded from a CDN: government networks
// are often cut off from the internet), and the Engine that renders them.
//
// # Views and the layout
//
// templates/layout.html defines the page every view is shown in: the header
// with the application's name, the logged-in user, the unread-inbox count, a
// logout form and the language switch; the navigation; the flash message;
// and the footer. Each view is one file, templates/views/NAME.html, that
// defines the template "content" (the page's main part) and may define
// "head" (more elements for <head>). Files in templates/common/ define
// templates every view may use (e.g. "pager").
//
// New parses every view at start-up with the layout and fails naming the
// view that is missing (Options.Require) or broken, so a typo in a template
// stops the server before it serves anything (miniflux's habit).
//
// # Page data
//
// A view is executed with a *Page: the common fields the layout needs
// (Title, User, Roles, Department, CSRFToken, Lang, Nav, Unread, Flash) and
// Data, the view's own data, reached in a template as .Data.
//
// # Content Security Policy
//
// banli's CSP is default-src 'self' with no inline script or style: templates
// must not use <script> without src, <style> or style= attributes. Scripts
// are static files loaded with <script src=… defer>; behaviour hangs on
// data-* attributes.
//
// # Languages
//
// Pages are in Simplified Chinese (zh-CN) unless the banli_lang cookie asks
// for English (en). The template function t looks a key up in the message
// catalogue (i18n.go) in the page's language, falling back to zh-CN. Domain
// content (replies, titles, names) is never translated.
package ui
