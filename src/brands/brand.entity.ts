import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('brands')
export class Brand {
  @PrimaryColumn({ type: 'varchar', length: 20 })
  code: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
