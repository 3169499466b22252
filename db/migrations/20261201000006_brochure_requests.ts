import type { Knex } from 'knex'

/**
 * Brochure requests: who asked for a brochure, when, who took the request,
 * and whether it has been posted (or was cancelled). The worklist walks
 * (status, requested_at, id); a profile reads its customer's requests by date.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('brochure_requests', (t) => {
    t.increments('id')
    t.integer('customer_id').notNullable().references('id').inTable('customers').onDelete('CASCADE')
    t.string('requested_at', 30).notNullable()
    // The name is kept as well: the request still says who took it after the staff member leaves.
    t.integer('taken_by_staff_id').nullable()
    t.string('taken_by_name', 200).notNullable()
    t.text('note').notNullable().defaultTo('')
    t.string('status', 16).notNullable().defaultTo('pending').checkIn(['pending', 'posted', 'cancelled'], 'brochure_requests_status_check')
    // The desk's calendar day the letter went in the post.
    t.string('posted_on', 10).nullable()
    t.string('posted_by_name', 200).notNullable().defaultTo('')
    t.string('created_at', 30).notNullable()
    t.string('updated_at', 30).notNullable()
    t.index(['status', 'requested_at', 'id'], 'brochure_requests_status_requested')
    t.index(['customer_id', 'requested_at'], 'brochure_requests_customer')
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('brochure_requests')
}
