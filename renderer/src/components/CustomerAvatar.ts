import { h, type FunctionalComponent } from 'vue'
import { avatarColor, initialsOf } from '../services/format'

/**
 * Initials on the customer's colour (styled by `.customer-avatar` in app.css).
 * A function rather than a component with state: the list draws fifty at a time.
 */
const CustomerAvatar: FunctionalComponent<{ id: number; name: string; size?: number | string }> = (props) => {
  const size = Number(props.size ?? 36)
  return h(
    'span',
    {
      class: 'customer-avatar',
      style: { backgroundColor: avatarColor(props.id), width: `${size}px`, height: `${size}px`, fontSize: `${Math.round(size * 0.4)}px` },
      'aria-hidden': 'true',
    },
    initialsOf(props.name),
  )
}
CustomerAvatar.props = ['id', 'name', 'size']

export default CustomerAvatar
