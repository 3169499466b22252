import { computed } from 'vue'
import { useAppStore } from '../../stores/app'

/** How long a deleted customer stays in the recycle bin (a business setting, 30 days unless changed). */
export function useRecycleBinDays() {
  const app = useAppStore()
  return computed(() => app.settings?.recycleBinDays ?? 30)
}
