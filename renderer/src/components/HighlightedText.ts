import { h, type FunctionalComponent } from 'vue'
import { highlightParts } from '../services/search-text'

/**
 * Shows `text` with the parts matching `search` marked. Text nodes only —
 * never HTML. A function rather than a component with state: the list draws
 * several per row on every keystroke.
 */
const HighlightedText: FunctionalComponent<{ text: string; search: string }> = (props) =>
  h(
    'span',
    null,
    highlightParts(props.text, props.search).map((part) => (part.match ? h('mark', { class: 'search-hit' }, part.text) : part.text)),
  )
HighlightedText.props = ['text', 'search']

export default HighlightedText
