/** Tag colours that read well as a dot on light and dark surfaces. */
export const tagColours: Array<{ value: string; name: string }> = [
  { value: '#1D5FA8', name: 'Blue' },
  { value: '#0F7C78', name: 'Teal' },
  { value: '#2E7D32', name: 'Green' },
  { value: '#9A7B00', name: 'Olive' },
  { value: '#D9822B', name: 'Orange' },
  { value: '#B3261E', name: 'Red' },
  { value: '#C2185B', name: 'Pink' },
  { value: '#6A4BA8', name: 'Purple' },
  { value: '#5D4037', name: 'Brown' },
  { value: '#607D8B', name: 'Grey' },
]
